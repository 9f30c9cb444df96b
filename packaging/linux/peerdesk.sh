#!/bin/sh
# /usr/bin/peerdesk: start PeerDesk, installed in /opt/peerdesk by the peerdesk
# package. The path is found from this script's own place, so the same launcher
# works in a package unpacked under another root (the CI check does that).
here=$(dirname "$(readlink -f "$0")")
exec "$here/../../opt/peerdesk/peerdesk" "$@"
