#!/usr/bin/env bash
# The checks of .github/workflows/e2e.yml that the images were built and run natively, on the runner the plan gives
# each platform:
#   native.sh build PLATFORM        after docker/setup-buildx-action, before the build action
#   native.sh run REFERENCE PLATFORM   pulls REFERENCE, a tag of a multi-platform index, and runs it
# The image prints "<platform> <machine that built it> <machine that runs it>" (Dockerfile). A Windows image is
# pulled and inspected, not run (Dockerfile.windows says why).
set -euo pipefail

fail() {
  echo "::error title=$1::$2"
  exit 1
}

# The kernel asks binfmt_misc before running an ELF binary itself, so a QEMU handler for the platform's binaries
# (named so by tonistiigi/binfmt, which docker/setup-qemu-action runs, and by Debian's qemu-user-binfmt) means
# emulation even for a runner's own architecture.
refuse_qemu() {
  local platform=$1 handler
  case $platform in
    linux/amd64) handler=qemu-x86_64 ;;
    linux/arm64) handler=qemu-aarch64 ;;
    linux/arm/*) handler=qemu-arm ;;
    *) fail 'unknown platform' "native.sh knows no QEMU handler of $platform" ;;
  esac
  if grep -qx enabled "/proc/sys/fs/binfmt_misc/$handler" 2>/dev/null; then
    fail 'QEMU on this runner' "$handler is registered here: $platform would be emulated, not native."
  fi
}

# BuildKit tries a binary of each platform when it starts and lists those that ran. It runs RUN steps of an unlisted
# platform under a QEMU of its own, so a build alone would succeed under emulation: the listing is what tells.
check_build() {
  local platform=$1 listed
  refuse_qemu "$platform"
  listed=$(docker buildx inspect --bootstrap | sed -n 's/^Platforms:[[:space:]]*//p' | tr -d ' *')
  echo "runner: $(uname -m); the builder runs: $listed"
  if [[ ",$listed," != *",$platform,"* ]]; then
    fail "$platform is not native here" "This $(uname -m) runner does not run $platform binaries (its builder runs $listed), so the plan's default runner for $platform cannot build it natively."
  fi
  echo "$platform is native: the builder on this $(uname -m) runner, without QEMU, runs $listed." >>"$GITHUB_STEP_SUMMARY"
}

# Sets `native` to the machines a process of the platform can be told it runs on, by the kernel of the runner the
# plan gives it.
set_native_machines() {
  case $1 in
    linux/amd64) native=' x86_64 ' ;;
    linux/arm64) native=' aarch64 ' ;;
    # A 32-bit process on a 64-bit ARM kernel is told armv8l when it runs with the 32-bit personality, aarch64 when
    # not; QEMU would say armv7l.
    linux/arm/v7) native=' armv8l aarch64 ' ;;
    *) fail 'unknown platform' "native.sh knows no native machine of $1" ;;
  esac
}

check_run() {
  local reference=$1 platform=$2 pulled printed built_for built_on runs_on native
  # The daemon's own platform is pulled without naming it, as a user's `docker run` does: the index must resolve to
  # it. Another one (linux/arm/v7 on an arm64 runner) has to be asked for.
  local option=()
  [ "$platform" = "$(docker version --format '{{.Server.Os}}/{{.Server.Arch}}')" ] || option=(--platform "$platform")
  docker pull "${option[@]}" "$reference" || fail "no $platform" "Could not pull $platform from $reference (see above)."

  if [[ $platform == windows/* ]]; then
    pulled=$(docker image inspect --format '{{.Os}}/{{.Architecture}} {{.OsVersion}}' "$reference")
    [[ $pulled == "$platform "* ]] || fail 'wrong image' "$reference gave $pulled on this runner, not $platform."
    echo "$platform: $reference gave $pulled on this Windows runner." >>"$GITHUB_STEP_SUMMARY"
    return
  fi

  refuse_qemu "$platform"
  set_native_machines "$platform"
  printed=$(docker run --rm "${option[@]}" "$reference") ||
    fail "$platform does not run here" "This $(uname -m) runner cannot run the $platform image of $reference."
  echo "runner: $(uname -m); image: $printed"
  read -r built_for built_on runs_on <<<"$printed"
  if [ "$built_for" != "$platform" ] || [[ $native != *" $built_on "* ]] || [[ $native != *" $runs_on "* ]]; then
    fail "not $platform, or not native" "$reference printed '$printed' on this $(uname -m) runner: expected $platform, built and run on one of:${native% }."
  fi
  echo "$platform is native: $reference, pulled on this $(uname -m) runner without QEMU, was built on $built_on and ran on $runs_on." >>"$GITHUB_STEP_SUMMARY"
}

case ${1:-} in
  build) check_build "$2" ;;
  run) check_run "$2" "$3" ;;
  *) fail usage 'native.sh build PLATFORM | native.sh run REFERENCE PLATFORM' ;;
esac
