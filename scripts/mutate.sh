#!/usr/bin/env bash
# Mutation testing: does the fast test suite notice when a rule is wrong? Applies each mutation of
# scripts/mutations.txt (a single-line change of models/ or sim/) alone to a scratch copy of the
# source tree, rebuilds it incrementally and runs the fast tests (Catch2 tags: everything but
# [slow], [browser], [mpi]), stopping at the first failure. A mutation is "killed" when a test
# fails (the first failing test is named), "survived" when all pass. The working tree is never
# modified. For developers: it takes a while (a rebuild and a test run per mutation); CI runs only
# the check below. docs/verification.md "Mutation testing" has the list, the command and the score.
#
#   scripts/mutate.sh                  # every mutation; exit 0 only if all are killed
#   scripts/mutate.sh NAME...          # only these
#   scripts/mutate.sh --check          # each mutation still applies (cheap; no build)
#   scripts/mutate.sh --list           # the names
#
# Environment: FOURP_MUTATIONS, the list (default scripts/mutations.txt); FOURP_MUTATE_DIR, the
# scratch folder (default build-mutate/ in the repository, ignored by git: a copy of the tree in
# src/, its build in build/, kept between invocations so that the next run rebuilds only what
# changed); FOURP_MUTATE_JOBS, build jobs (default nproc).
# Exit status: 0 all killed; 1 some survived; 2 a mutation does not apply (its text is not found
# exactly once), does not compile, or the unmutated tree fails its own tests.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
list="${FOURP_MUTATIONS:-$repo/scripts/mutations.txt}"
scratch="${FOURP_MUTATE_DIR:-$repo/build-mutate}"
jobs="${FOURP_MUTATE_JOBS:-$(nproc)}"
# The fast tests in two stages, together every test but [slow], [browser] and [mpi]: the
# in-process [unit] and [scenario] tests (seconds), then the rest ([cli], [stat], [report], …)
# only for a mutation that survives the first.
fast='~[slow]~[browser]~[mpi]'
stages=("[unit]$fast,[scenario]$fast" "~[unit]~[scenario]$fast")
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3  # the system's: starts fast (no version shims)

# The list as tab-separated records: name, file, from, to (python3: exact, literal text). With a
# folder, also checks that each mutation applies to the tree there (see apply), reporting all.
records() {
  "$py" - "$list" "$@" <<'PY'
import sys
blocks, cur = [], {}
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    line = line.rstrip("\n")
    if line.startswith("#"):
        continue
    if not line.strip():
        if cur: blocks.append(cur); cur = {}
        continue
    key, sep, value = line.partition(":")
    if not sep or key not in ("name", "file", "from", "to") or key in cur:
        sys.exit(f"{sys.argv[1]}:{n}: error: expected one each of name:, file:, from:, to:")
    cur[key] = value.strip(" ")  # spaces after the colon align the columns
    cur.setdefault("line", n)
if cur: blocks.append(cur)
names = set()
for b in blocks:
    if set(b) != {"name", "file", "from", "to", "line"}:
        sys.exit(f"{sys.argv[1]}:{b['line']}: error: a mutation needs name:, file:, from: and to:")
    if b["name"] in names:
        sys.exit(f"{sys.argv[1]}:{b['line']}: error: mutation name '{b['name']}' is used twice")
    names.add(b["name"])
    for k in ("name", "file", "from", "to"):
        if "\t" in b[k] or not b[k]:
            sys.exit(f"{sys.argv[1]}:{b['line']}: error: {k}: is empty or holds a tab")
bad = False
if len(sys.argv) > 2:
    for b in blocks:
        try:
            count = open(f"{sys.argv[2]}/{b['file']}", encoding="utf-8").read().count(b["from"])
            what = None if count == 1 else "not found" if count == 0 else f"found {count} times"
        except OSError as e:
            what = e.strerror
        if what or b["from"] == b["to"]:
            bad = True
            print(f"{b['file']}: error: '{b['from']}' {what or 'unchanged'} (mutation {b['name']} "
                  "no longer applies: update scripts/mutations.txt)", file=sys.stderr)
if bad:
    sys.exit(2)
for b in blocks:
    print("\t".join(b[k] for k in ("name", "file", "from", "to")))
PY
}

# apply ROOT FILE FROM TO: replaces the one occurrence of FROM in ROOT/FILE by TO; fails (exit 2,
# with the reason) when FROM is not found exactly once.
apply() {
  "$py" - "$@" <<'PY'
import sys
root, rel, old, new = sys.argv[1:5]
path = f"{root}/{rel}"
try:
    text = open(path, encoding="utf-8").read()
except OSError as e:
    sys.exit(f"{rel}: error: {e.strerror}")
count = text.count(old)
if count != 1 or old == new or "\n" in old:
    what = "not found" if count == 0 else f"found {count} times" if count > 1 else "unchanged"
    sys.exit(f"{rel}: error: '{old}' {what} (the mutation no longer applies: update "
             "scripts/mutations.txt)")
open(path, "w", encoding="utf-8").write(text.replace(old, new))
PY
}

parsed=$(records "$repo") || exit 2  # every mutation must apply, whatever is run
mapfile -t all <<<"$parsed"
[ ${#all[@]} -gt 0 ] || { echo "$list: error: no mutations" >&2; exit 2; }

case "${1:-}" in
  --check)
    echo "mutate.sh --check: all ${#all[@]} mutations apply"
    exit 0
    ;;
  --list)
    for r in "${all[@]}"; do echo "${r%%$'\t'*}"; done
    exit 0
    ;;
  -h | --help)
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
esac

# The mutations to run: all, or those named.
selected=()
if [ $# -eq 0 ]; then
  selected=("${all[@]}")
else
  for want in "$@"; do
    found=""
    for r in "${all[@]}"; do [ "${r%%$'\t'*}" = "$want" ] && found="$r"; done
    [ -n "$found" ] || { echo "mutate.sh: error: no mutation named '$want' (--list)" >&2; exit 2; }
    selected+=("$found")
  done
fi
# Grouped by file (in list order within one): a mutation's build then also recompiles the file
# the previous one restored only when they differ.
mapfile -t selected < <(printf '%s\n' "${selected[@]}" | sort -s -t$'\t' -k2,2)

# The scratch copy: the working tree as it is (uncommitted changes included), without builds, git
# data and results. Only files whose content differs are copied, with a new time stamp, so make
# rebuilds exactly what changed (also a file an interrupted run left mutated).
mkdir -p "$scratch/src" "$scratch/build"
echo "mutate.sh: copying the tree to $scratch/src" >&2
"$py" - "$repo" "$scratch/src" <<'PY'
import os, shutil, sys
repo, dest = sys.argv[1:3]
def skip(rel):
    top = rel.split(os.sep)[0]
    return top.startswith("build") or top in (".git", "results")
want = set()
for root, dirs, files in os.walk(repo):
    rel_root = os.path.relpath(root, repo)
    dirs[:] = [d for d in dirs if not skip(os.path.normpath(os.path.join(rel_root, d)))]
    for f in files:
        rel = os.path.normpath(os.path.join(rel_root, f))
        want.add(rel)
        src, dst = os.path.join(repo, rel), os.path.join(dest, rel)
        if os.path.isfile(dst) and open(src, "rb").read() == open(dst, "rb").read():
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(src, dst)
        shutil.copymode(src, dst)
for root, dirs, files in os.walk(dest):
    for f in files:
        rel = os.path.relpath(os.path.join(root, f), dest)
        if rel not in want:
            os.remove(os.path.join(root, f))
PY
src="$scratch/src" build="$scratch/build"

current=""  # the file under mutation, restored on exit whatever happens
restore() {
  if [ -n "$current" ]; then
    cp "$repo/$current" "$src/$current"  # a new time stamp: make rebuilds it
    current=""
  fi
}
trap restore EXIT
trap 'restore; exit 130' INT TERM

build_tree() {
  cmake --build "$build" -j"$jobs" --target fourp_tests >"$scratch/build.log" 2>&1
}
# Runs the fast tests, stopping at the first failure; prints the failing test's name, or nothing
# when all pass. Read from Catch2's XML report: the test case whose result is a failure, or, when
# the program died (a crash: the report ends early), the last test case it began.
run_tests() {
  local xml="$scratch/tests.xml" status=0 stage
  for stage in "${stages[@]}"; do
    timeout "$test_timeout" "$build/tests/fourp_tests" "$stage" --abort -r xml -o "$xml" \
      >"$scratch/tests.log" 2>&1 || status=$?
    [ $status = 0 ] || break
  done
  if [ $status = 0 ]; then return 0; fi
  if [ $status = 124 ]; then
    echo "(timed out after ${test_timeout} s)"
    return 0
  fi
  "$py" - "$xml" "$status" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
unescape = lambda s: (s.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<")
                      .replace("&gt;", ">").replace("&amp;", "&"))
last = None
for m in re.finditer(r'<TestCase name="([^"]*)"|<OverallResult success="false"', text):
    if m.group(1) is not None:
        last = unescape(m.group(1))
    else:
        print(last); sys.exit()
print(f"{last} (the program died: exit status {sys.argv[2]})" if last else
      f"(exit status {sys.argv[2]}; see tests.log)")
PY
}

echo "mutate.sh: building the unmutated tree in $build" >&2
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DFOURP_BUILD_TESTS=ON >/dev/null
build_tree || { echo "mutate.sh: error: the unmutated tree does not build ($scratch/build.log)" >&2; exit 2; }
test_timeout=3600
start=$(date +%s)
failed=$(run_tests)
baseline=$(($(date +%s) - start))
if [ -n "$failed" ]; then
  echo "mutate.sh: error: the unmutated tree fails its fast tests ($failed): fix that first" >&2
  exit 2
fi
test_timeout=$((3 * baseline + 60))  # a mutant that loops forever is killed by the time-out
echo "mutate.sh: the fast tests pass unmutated in ${baseline} s; ${#selected[@]} mutations" >&2

killed=0 survived=0 broken=0
results=()
for r in "${selected[@]}"; do
  IFS=$'\t' read -r name file from to <<<"$r"
  current="$file"
  apply "$src" "$file" "$from" "$to"
  t0=$(date +%s)
  if ! build_tree; then
    line="BROKEN    $name: does not compile ($scratch/build.log)"
    broken=$((broken + 1))
    restore
  else
    failed=$(run_tests)
    restore
    if [ -n "$failed" ]; then
      line="killed    $name  by  $failed"
      killed=$((killed + 1))
    else
      line="SURVIVED  $name  ($file: '$from' -> '$to')"
      survived=$((survived + 1))
    fi
  fi
  line="$line  [$(($(date +%s) - t0)) s]"
  echo "$line"
  results+=("$line")
done
build_tree || true  # leave the scratch build matching the tree

total=${#selected[@]}
echo
echo "mutation score: $killed/$total killed ($((100 * killed / total))%), $survived survived, $broken did not compile"
[ $broken = 0 ] || exit 2
[ $survived = 0 ] || exit 1
exit 0
