#!/usr/bin/env bash
# OpenSSH test hosts on loopback, for the SSH integration tests (Tests/TestSupport/SSHTestHost.swift) and for
# `asroll-bench ssh`. One implementation for both, so the two never drift apart.
#
#   sshd-test-host.sh start ROOT NAME ADDRESS [PORT|0] [OWNER_PID]   prints the port it listens on
#   sshd-test-host.sh stop  ROOT NAME                                 kills listener, sessions and their children
#
# ROOT holds what the hosts of one test share: client/id_ed25519 (the client key), authorized_keys, known_hosts
# (one `[ADDRESS]:PORT` line per started host) and home/ (the sessions' HOME: root's real rc files cost ~90 ms per
# command). ROOT/hosts/NAME holds a host's config, host keys (kept across restarts), pid file and log.
# HOSTKEY_TYPES (default "ed25519") lists the host key types to generate on first start, e.g. "ed25519 ecdsa";
# a restart serves every host key the directory holds.
# PORT 0 or absent picks a free port (retrying when another process took it first). With OWNER_PID, a watchdog
# stops the host when that process is gone, so a crashed test run leaves no sshd behind.
set -euo pipefail

usage() { echo "usage: $0 start ROOT NAME ADDRESS [PORT] [OWNER_PID] | stop ROOT NAME" >&2; exit 2; }

# Alive means present and not a zombie: PID 1 here can be slow to reap, and zombies still answer kill -0.
alive() {
    local state
    state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [ -n "$state" ] && [ "$state" != Z ]
}

descendants() {
    local child
    for child in $(pgrep -P "$1" 2>/dev/null); do
        echo "$child"
        descendants "$child"
    done
}

# Background processes must not keep the caller's descriptors open: Foundation's Process, for one, sees the script
# end only when every copy of a descriptor it handed over is closed.
close_inherited_fds() {
    local fd
    for fd in /proc/$BASHPID/fd/*; do
        fd=${fd##*/}
        [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null
    done
    return 0
}

listening() { [ -n "$(ss -Hltn "src $1:$2" 2>/dev/null)" ]; }

start() {
    local root=$1 name=$2 address=$3 port=${4:-0} owner=${5:-}
    local dir=$root/hosts/$name
    mkdir -p "$dir" "$root/client" "$root/home"
    [ -w /run ] && mkdir -p /run/sshd && chmod 0755 /run/sshd
    if [ ! -f "$root/client/id_ed25519" ]; then
        ssh-keygen -q -t ed25519 -N '' -C "asroll-test-client" -f "$root/client/id_ed25519"
        cat "$root/client/id_ed25519.pub" >>"$root/authorized_keys"
    fi
    local type
    for type in ${HOSTKEY_TYPES:-ed25519}; do
        [ -f "$dir/ssh_host_${type}_key" ] ||
            ssh-keygen -q -t "$type" -N '' -C "$name-hostkey" -f "$dir/ssh_host_${type}_key"
    done

    local fixed=$port attempt pid
    for attempt in 1 2 3 4 5 6 7 8; do
        [ "$fixed" -eq 0 ] && port=$(( 20000 + RANDOM % 40000 ))
        {
            echo "ListenAddress $address:$port"
            for key in "$dir"/ssh_host_*_key; do echo "HostKey $key"; done
            cat <<CFG
PidFile $dir/sshd.pid
AuthorizedKeysFile $root/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
MaxStartups 100:30:200
MaxSessions 50
LogLevel VERBOSE
SetEnv HOME=$root/home
CFG
        } >"$dir/sshd_config"
        : >"$dir/sshd.log"
        (close_inherited_fds; exec /usr/sbin/sshd -D -e -f "$dir/sshd_config") >>"$dir/sshd.log" 2>&1 </dev/null &
        pid=$!
        echo "$pid" >"$dir/listener.pid"
        local waited=0
        while alive "$pid" && ! listening "$address" "$port" && [ $waited -lt 500 ]; do
            sleep 0.01
            waited=$((waited + 1))
        done
        if listening "$address" "$port"; then break; fi
        kill -KILL "$pid" 2>/dev/null || true
        if [ "$fixed" -ne 0 ] || ! grep -q "Address already in use" "$dir/sshd.log"; then
            echo "sshd for $name on $address:$port did not start:" >&2
            cat "$dir/sshd.log" >&2
            exit 1
        fi
    done
    listening "$address" "$port" || { echo "no free port found for $name on $address" >&2; exit 1; }
    echo "$port" >"$dir/port"

    local entry="[$address]:$port $(cut -d' ' -f1,2 "$dir/ssh_host_ed25519_key.pub" 2>/dev/null ||
                                     cut -d' ' -f1,2 "$dir"/ssh_host_*_key.pub | head -1)"
    grep -qxF "$entry" "$root/known_hosts" 2>/dev/null || echo "$entry" >>"$root/known_hosts"

    if [ -n "$owner" ]; then
        (
            close_inherited_fds
            while alive "$owner" && [ -f "$dir/listener.pid" ]; do sleep 0.5; done
            [ -f "$dir/listener.pid" ] && WATCHDOG=1 "$0" stop "$root" "$name"
        ) >/dev/null 2>&1 </dev/null &
        echo $! >"$dir/watchdog.pid"
    fi
    echo "$port"
}

stop() {
    local root=$1 name=$2
    local dir=$root/hosts/$name
    [ -f "$dir/listener.pid" ] || return 0
    local listener port address
    listener=$(cat "$dir/listener.pid")
    port=$(cat "$dir/port" 2>/dev/null || echo 0)
    address=$(sed -n 's/^ListenAddress \(.*\):[0-9]*$/\1/p' "$dir/sshd_config")
    # Freeze the whole tree before killing anything: a killed parent's children move to PID 1 and out of reach,
    # and a running session could fork between our snapshot and the kill.
    local tree="" previous="x" p
    while [ "$tree" != "$previous" ]; do
        previous=$tree
        tree="$listener $(descendants "$listener" | tr '\n' ' ')"
        for p in $tree; do kill -STOP "$p" 2>/dev/null || true; done
    done
    for p in $tree; do kill -KILL "$p" 2>/dev/null || true; done
    local waited=0
    while [ $waited -lt 300 ]; do
        local left=""
        for p in $tree; do alive "$p" && left="$left $p"; done
        [ -z "$left" ] && ! listening "$address" "$port" && break
        sleep 0.01
        waited=$((waited + 1))
    done
    rm -f "$dir/listener.pid" "$dir/sshd.pid"
    if [ -z "${WATCHDOG:-}" ] && [ -f "$dir/watchdog.pid" ]; then
        kill "$(cat "$dir/watchdog.pid")" 2>/dev/null || true
    fi
    rm -f "$dir/watchdog.pid"
}

case "${1:-}" in
    start) [ $# -ge 4 ] || usage; shift; start "$@" ;;
    stop) [ $# -eq 3 ] || usage; shift; stop "$@" ;;
    *) usage ;;
esac
