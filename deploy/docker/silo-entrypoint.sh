#!/bin/sh
# Orleans needs an IP to advertise (Silo__AdvertisedAddress); appsettings.json says 127.0.0.1, which only works
# when everything shares one host. When the deployment did not set it (compose sets a fixed IP, Kubernetes the
# pod IP), advertise this container's own IPv4 address (Docker and Kubernetes write it to /etc/hosts).
# Arguments (e.g. --migrate-only) go to the silo unchanged.
set -eu
if [ -z "${Silo__AdvertisedAddress:-}" ]; then
  # shellcheck disable=SC2046 # split "IP STREAM name" into words on purpose
  set -- $(getent ahostsv4 "$(cat /etc/hostname)" || true) -- "$@"
  ip=$1
  while [ "$1" != "--" ]; do shift; done
  shift
  case $ip in
    --|127.*) ;;  # nothing usable: keep appsettings' default
    *) Silo__AdvertisedAddress=$ip; export Silo__AdvertisedAddress ;;
  esac
fi
exec dotnet /app/OrleansChat.Silo.dll "$@"
