# OrleansChat web front image (REST /api/chat, SignalR /hubs/chat, WebSocket /ws/chat/{id}/).
# Build from the REPO ROOT:  docker build -f deploy/docker/WebFront.Dockerfile -t orleanschat-webfront .
# BuildKit reads WebFront.Dockerfile.dockerignore beside this file (no bin/, obj/, node_modules/, .chat/, .git).

# The browser client (src/WebFront/ClientApp, TypeScript + Vite) needs Node.js 20.19 or newer, which the .NET SDK
# image's distribution does not ship: it is built in a Node stage and handed to the .NET build as files.
FROM node:22-bookworm-slim AS client
WORKDIR /src/src/WebFront/ClientApp
COPY src/WebFront/ClientApp/package.json src/WebFront/ClientApp/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY src/WebFront/ClientApp/ ./
RUN npm run build

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so source edits do not invalidate the package layer.
COPY Directory.Build.props Directory.Packages.props ./
COPY build/ build/
COPY src/GrainInterfaces/GrainInterfaces.csproj src/GrainInterfaces/
COPY src/WebFront/WebFront.csproj src/WebFront/
RUN dotnet restore src/WebFront/WebFront.csproj
COPY src/GrainInterfaces/ src/GrainInterfaces/
COPY src/WebFront/ src/WebFront/
# Without the .dockerignore (legacy builder) a host's bin/obj/node_modules could come along: drop them.
RUN find src -type d \( -name bin -o -name obj -o -name node_modules \) -prune -exec rm -rf {} +
COPY --from=client /src/src/WebFront/wwwroot/app/ src/WebFront/wwwroot/app/
# SkipClientApp: the client was built above; MSBuild only copies wwwroot/app into the output.
RUN dotnet publish src/WebFront -c Release -o /app -p:SkipClientApp=true

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
