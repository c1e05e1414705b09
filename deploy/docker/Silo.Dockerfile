# OrleansChat silo image. Build from the REPO ROOT (the build context must contain src/ and deploy/sql/):
#   docker build -f deploy/docker/Silo.Dockerfile -t orleanschat-silo .
# The same image runs the migrations: docker run --rm -e ConnectionStrings__ChatDb=... orleanschat-silo --migrate-only
# BuildKit reads Silo.Dockerfile.dockerignore beside this file, so bin/, obj/, .chat/ and .git never reach the builder.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so source edits do not invalidate the package layer.
COPY Directory.Build.props Directory.Packages.props ./
COPY build/ build/
COPY src/GrainInterfaces/GrainInterfaces.csproj src/GrainInterfaces/
COPY src/Grains/Grains.csproj src/Grains/
COPY src/Silo/Silo.csproj src/Silo/
RUN dotnet restore src/Silo/Silo.csproj
COPY src/GrainInterfaces/ src/GrainInterfaces/
COPY src/Grains/ src/Grains/
COPY src/Silo/ src/Silo/
# The migrations are embedded into OrleansChat.Grains.dll from deploy/sql (see src/Grains/Grains.csproj).
COPY deploy/sql/ deploy/sql/
# A builder without the .dockerignore (legacy builder, docker-compose v1) may copy a host's bin/obj: drop them so
# the host's project.assets.json (with host paths) cannot leak into this build. Same command as deploy/README.md.
RUN find src -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} + \
 && dotnet publish src/Silo -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl only for HEALTHCHECK (the aspnet image ships none).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
COPY deploy/docker/silo-entrypoint.sh ./
# Same defaults as ./chatctl's silo 0. Each container has its own IP, so every silo can keep the base ports.
ENV Silo__SiloPort=11111 \
    Silo__GatewayPort=30000 \
    Silo__HttpPort=18080
# 11111 silo-to-silo, 30000 gateway (fronts connect here), 18080 HTTP health (/health/live, /health/ready).
EXPOSE 11111 30000 18080
# The silo binds its health port to 127.0.0.1, which is where this check runs (inside the container).
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${Silo__HttpPort:-18080}/health/live" >/dev/null || exit 1
# The aspnet image's non-root user 'app'.
USER $APP_UID
# sh only resolves Silo__AdvertisedAddress when unset, then execs dotnet (PID 1 gets SIGTERM directly).
ENTRYPOINT ["/bin/sh", "/app/silo-entrypoint.sh"]
