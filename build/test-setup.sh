#!/usr/bin/env bash
# Installs the Debian packages the tests start or call (Orthanc + DICOMweb,
# dcmtk, dicom3tools, PostgreSQL, Chromium, pydicom's test files, poppler,
# GDCM's command-line tools). A no-op when they are all installed.
set -euo pipefail

PACKAGES=(orthanc orthanc-dicomweb dcmtk dicom3tools postgresql chromium python3-pydicom poppler-utils libgdcm-tools)

missing=()
for package in "${PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$package")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "test-setup: all test packages are installed (${PACKAGES[*]})"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "test-setup: missing packages: ${missing[*]}; apt-get not found (Debian or Ubuntu expected)" >&2
  exit 1
fi

as_root=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "test-setup: missing packages: ${missing[*]}; run as root or install sudo" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
echo "test-setup: missing packages: ${missing[*]}"
echo "test-setup: ${as_root[*]:+${as_root[*]} }apt-get update"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
echo "test-setup: ${as_root[*]:+${as_root[*]} }apt-get install -y --no-install-recommends ${missing[*]}"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
echo "test-setup: done"
