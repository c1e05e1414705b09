# OrleansChat web front image (REST /api/chat, SignalR /hubs/chat, WebSocket /ws/chat/{id}/).
# Build from the REPO ROOT:  docker build -f deploy/docker/WebFront.Dockerfile -t orleanschat-webfront .
# BuildKit reads WebFront.Dockerfile.dockerignore beside this file (no bin/, obj/, node_modules/, .chat/, .git).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# The browser client (src/WebFront/ClientApp, being added) is built by npm during publish. Node is installed only
# when its package.json exists, so this image builds the same before and after that change. The probe COPY names a
# file that always exists plus a one-file glob ("package.jso[n]"), which copies nothing, without failing, while the
# client is absent; the layer is cached until one of the two files changes.
WORKDIR /src
COPY src/WebFront/WebFront.csproj src/WebFront/ClientApp/package.jso[n] /tmp/clientapp-probe/
RUN if [ -f /tmp/clientapp-probe/package.json ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends nodejs npm \
      && rm -rf /var/lib/apt/lists/*; \
    fi
# Restore first, from the project files only, so source edits do not invalidate the package layer.
COPY Directory.Build.props Directory.Packages.props ./
COPY build/ build/
COPY src/GrainInterfaces/GrainInterfaces.csproj src/GrainInterfaces/
COPY src/WebFront/WebFront.csproj src/WebFront/
RUN dotnet restore src/WebFront/WebFront.csproj
COPY src/GrainInterfaces/ src/GrainInterfaces/
COPY src/WebFront/ src/WebFront/
# Without the .dockerignore (legacy builder) a host's bin/obj/node_modules could come along: drop them.
RUN find src -type d \( -name bin -o -name obj -o -name node_modules \) -prune -exec rm -rf {} + \
 && dotnet publish src/WebFront -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl only for HEALTHCHECK (the aspnet image ships none).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# Listen on all interfaces, port 5080 (./chatctl's front 0); the image's default would be 8080.
ENV ASPNETCORE_HTTP_PORTS=5080
EXPOSE 5080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${ASPNETCORE_HTTP_PORTS:-5080}/health/live" >/dev/null || exit 1
# The aspnet image's non-root user 'app'.
USER $APP_UID
ENTRYPOINT ["dotnet", "/app/OrleansChat.WebFront.dll"]
