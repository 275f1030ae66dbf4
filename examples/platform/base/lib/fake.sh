# fake.sh: shared by the stand-in tools (pip, python, apt-get, npm) of image-budget's offline
# example base. They write REAL files so that image sizes, layers and waste are real; sizes are
# scaled down (~1/20 of the real packages) so that the whole example builds in a few minutes.

# put PATH SIZE: write SIZE at PATH. SIZE: 40M, 256K or bytes; a leading t means compressible
# text (sources, headers, docs, package lists), otherwise random bytes (binaries, wheels, models).
put() {
  mkdir -p "$(dirname "$1")"
  _n=${2#t}
  case $_n in
    *M) _n=$((${_n%M} * 1048576)) ;;
    *K) _n=$((${_n%K} * 1024)) ;;
  esac
  case $2 in
    t*) yes "# $(basename "$1"): stand-in content of image-budget's offline example base" | head -c "$_n" >"$1" ;;
    *) head -c "$_n" /dev/urandom >"$1" ;;
  esac
}

# kib SIZE: SIZE (as for put) in KiB
kib() {
  _n=${1#t}
  case $_n in
    *M) echo $((${_n%M} * 1024)) ;;
    *K) echo "${_n%K}" ;;
    *) echo $((_n / 1024)) ;;
  esac
}

# short_hash WORDS...: a stable 12-hex-digit id
short_hash() { echo "$*" | md5sum | cut -c1-12; }
