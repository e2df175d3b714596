# Sourced by the measure-*.sh scripts: a private session for the release programs in target/:
# a temporary home with its XDG folders, Xvfb on a free display, a session bus, cleaned up at
# exit (with the daemon, once the caller has set $daemon).
dir=$PWD/target/release
home=$(mktemp -d)
daemon=
# The session bus may have started the document portal, which mounts $XDG_RUNTIME_DIR/doc.
trap 'kill $daemon $xvfb 2>/dev/null || true; [ -n "${DBUS_SESSION_BUS_PID:-}" ] && kill "$DBUS_SESSION_BUS_PID" 2>/dev/null; fusermount -uz "$home/run/doc" 2>/dev/null || true; rm -rf "$home"' EXIT

exec 3< <(Xvfb -displayfd 1 -screen 0 1024x768x24 -nolisten tcp 2>/dev/null)
read -r display <&3
xvfb=$(pgrep -n Xvfb)
export DISPLAY=:$display HOME=$home XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data \
    XDG_STATE_HOME=$home/state XDG_RUNTIME_DIR=$home/run
mkdir -p "$XDG_RUNTIME_DIR"
# A session bus of our own (dbus-daemon prints its address, then its pid).
if bus=$(dbus-daemon --session --fork --print-address=1 --print-pid=1 2>/dev/null); then
    export DBUS_SESSION_BUS_ADDRESS=$(sed -n 1p <<<"$bus") DBUS_SESSION_BUS_PID=$(sed -n 2p <<<"$bus")
else
    DBUS_SESSION_BUS_PID=
fi
