#!/bin/sh
# Make a Docker daemon available on a fresh Debian 12, as root. Idempotent:
# does nothing but print the version when `docker info` already works.
# Installs docker.io and debootstrap only when missing, starts dockerd in the
# background with its log in $DOCKERD_LOG, waits up to 60 s for the socket.
set -eu

DOCKERD_LOG=${DOCKERD_LOG:-/var/log/dockerd.log}

if docker info >/dev/null 2>&1; then
	docker version --format 'docker {{.Server.Version}} (API {{.Server.APIVersion}}) already up'
	exit 0
fi

missing=""
command -v dockerd >/dev/null 2>&1 || missing="$missing docker.io"
command -v debootstrap >/dev/null 2>&1 || missing="$missing debootstrap"
if [ -n "$missing" ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	# shellcheck disable=SC2086
	apt-get install -y --no-install-recommends $missing
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
	nohup dockerd >"$DOCKERD_LOG" 2>&1 &
fi

i=0
until docker info >/dev/null 2>&1; do
	i=$((i + 1))
	if [ "$i" -gt 60 ]; then
		echo "docker-up: dockerd did not come up within 60 s; last log lines:" >&2
		tail -n 30 "$DOCKERD_LOG" >&2 || true
		exit 1
	fi
	sleep 1
done
docker version --format 'docker {{.Server.Version}} (API {{.Server.APIVersion}})'
