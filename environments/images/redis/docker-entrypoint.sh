#!/bin/sh
# Like the official image: flags alone mean redis-server flags, and protected mode is off (unless the command sets
# it) because the container's network, not Redis, decides who connects: ports are published on 127.0.0.1 only.
set -e
if [ "${1#-}" != "$1" ]; then
  set -- redis-server "$@"
fi
if [ "$1" = "redis-server" ]; then
  case " $* " in
    *" --protected-mode "*|*" --version "*|*" -v "*) ;;
    *) set -- "$@" --protected-mode no ;;
  esac
  exec setpriv --reuid=redis --regid=redis --init-groups "$@"
fi
exec "$@"
