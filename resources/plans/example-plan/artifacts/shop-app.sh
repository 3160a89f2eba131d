#!/bin/sh
# Example Shop application, release 2.4.1 (a stand-in used by the Fieldrun example plan).
# Usage: shop-app.sh start|stop|status  — keeps its state in /opt/shop/state.
set -eu
state=/opt/shop/state
case "${1:-status}" in
  start) echo "running 2.4.1" > "$state" ;;
  stop) echo "stopped" > "$state" ;;
  status) cat "$state" 2>/dev/null || echo "unknown" ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
