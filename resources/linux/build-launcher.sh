#!/bin/sh
# Builds the privileged capture launcher that the Linux packages ship beside the app binary
# (electron-builder.yml linux.extraFiles). Other platforms have no such launcher: nothing to do.
set -eu
cd "$(dirname "$0")/../.."
[ "$(uname -s)" = Linux ] || exit 0
mkdir -p out/native
${CC:-cc} -O2 -Wall -Wextra -Werror -o out/native/synscope-capture resources/linux/synscope-capture.c
