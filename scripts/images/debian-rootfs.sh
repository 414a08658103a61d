#!/usr/bin/env bash
# debian-rootfs.sh SUITE OUT.tar — a minimal Debian root filesystem, as a tarball for
# `docker import`, made by debootstrap from the mirror apt already uses on this machine.
set -euo pipefail
SUITE="$1" OUT="$2"
log() { echo "images: $(date +%T) $*" >&2; }
mirror=""
if ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1; then
  mirror="$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources)"
fi
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror="$(awk '$1=="deb"{for(i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//){print $i; exit}}' /etc/apt/sources.list)"
fi
[ -n "$mirror" ] || { log "no Debian mirror in apt's sources"; exit 1; }
root="$(mktemp -d /tmp/k3sc-rootfs.XXXXXX)"
trap 'rm -rf "$root"' EXIT
log "debootstrap $SUITE from $mirror"
debootstrap --variant=minbase "$SUITE" "$root" "$mirror" >/dev/null
# Same apt sources as the host (main, updates, security), no docs, no recommends, no caches.
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  rm -f "$root/etc/apt/sources.list"; cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/"
fi
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"; chmod +x "$root/usr/sbin/policy-rc.d"
printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
  'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' \
  >"$root/etc/dpkg/dpkg.cfg.d/01-k3sc-nodoc"
printf '%s\n' 'APT::Install-Recommends "false";' 'APT::Install-Suggests "false";' \
  'Acquire::Languages "none";' 'Dir::Cache::pkgcache "";' 'Dir::Cache::srcpkgcache "";' \
  'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };' \
  >"$root/etc/apt/apt.conf.d/01-k3sc-slim"
rm -f "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin
rm -rf "$root"/var/lib/apt/lists/*; mkdir -p "$root/var/lib/apt/lists/partial"
: >"$root/etc/hostname"
mkdir -p "$(dirname "$OUT")"
tar --numeric-owner --xattrs -C "$root" -cf "$OUT.tmp" . && mv "$OUT.tmp" "$OUT"
log "rootfs $OUT ($(du -h "$OUT" | cut -f1))"
