#!/usr/bin/env python3
"""check-inputs.py STEP…: runs each scripts/unchanged.sh step of the Makefile
under strace and fails if it opens, stats or lists a file of the repository
that the step's key does not cover.

   scripts/check-inputs.py vet/gen unit/cmd/intercom-diff …   (needs strace)
   scripts/check-inputs.py -trace PREFIX STEP   (a trace an earlier run left)

For each STEP, the recipe `make -n STEP` prints (`./scripts/unchanged.sh NAME
'COMMAND' INPUT…`) is run twice: with UNCHANGED_LIST=1, which prints what the
key covers, and with FRESH=1 UNCHANGED_STRACE=FILE, which runs COMMAND under
`strace -ff` (open, openat, the stat calls, access, readlink, execve, chdir,
clone; one trace per thread, every path resolved against its thread's working
directory). Every
path inside the repository the step touched is then:

- covered: a file the key hashes by content, a file or directory under a
  path:/tree/glob: input, a Go package's directory (go list lists its files),
  a file in a Go package's directory that only the go command touched (it
  reads the header of every .go file there, test files included, and lists
  the others; what it learns, package clauses, build constraints, errors,
  is in go list's output, hashed), a .go file in a directory the step
  declares with headers:DIR (it reads, through go/build, only what go list
  reports of them: a declaration reviewed, not checked, here; the directory
  listing too), a .go file an api: input names (the key has its API,
  scripts/apikey's, for a step that only type-checks against it or reads
  its declarations: a declaration reviewed, not checked), a
  directory inside a go: input's module (its listing only decides which
  packages exist, which go list's output, hashed, says; only for the go
  command's own calls, not a test's), or an ancestor
  directory of a covered file (stat'ing it says no more than the file does;
  a program other than go that lists such a directory is not covered);
- a module probe: a go.work, go.mod, go.sum or vendor path that does not
  exist (go env GOWORK and go list, hashed, reflect one being created), or
  the go command's lookup of a build-cache path under a package directory,
  or a nested module's go.mod inside a go: input's module (the go command
  checks that it exists to stop a ./... pattern there: go list's output says
  which packages that leaves);
- ignored: a git-ignored path (.cache/, .tools/, scratch directories the
  steps create and delete, built binaries), listed for review: the key
  covers the Prism lock and the spec directories in .cache;
- uncovered: anything else, which fails the check.

Git's own files (.git, and git's repository directory) are skipped: the steps
that run git are keyed on the whole tree (tree), which covers what git reports.
"""
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=True).stdout.strip()
os.chdir(ROOT)
GITDIR = os.path.normpath(os.path.join(ROOT, subprocess.run(
    ["git", "rev-parse", "--git-common-dir"], capture_output=True, text=True, check=True).stdout.strip()))

GOCACHE = subprocess.run(["go", "env", "GOCACHE"], capture_output=True, text=True, check=True).stdout.strip()
CALL = re.compile(r'^(open|openat|stat|lstat|newfstatat|statx|access|faccessat|faccessat2|readlink|readlinkat|execve|chdir|clone|clone3|fork|vfork)\((.*)\) += (-?\d+)(.*)$')
DIRFD = re.compile(r'^(AT_FDCWD|\d+)<([^>]*)>, ')
STR = re.compile(r'"((?:[^"\\]|\\.)*)"')


def recipe(step):
    out = subprocess.run(["make", "-n", "--no-print-directory", step], capture_output=True, text=True, check=True).stdout
    # The step's own line (make -n also prints its prerequisites' steps).
    lines = [l for l in out.splitlines() if l.startswith(f"./scripts/unchanged.sh {step} ")]
    if len(lines) != 1:
        sys.exit(f"check-inputs: {step}: want one unchanged.sh line in `make -n {step}`, got {out!r}")
    return lines[0]


def touched(prefix):
    """Paths (absolute, normalized) the traced threads named:
    (path, succeeded, program, listed as a directory).

    strace -ff writes one file per thread (PREFIX.TID), so no call is split
    across lines. A thread starts in its parent's directory at the clone and
    runs its parent's program until its own execve."""
    calls, children = {}, set()
    d, base = os.path.split(prefix)
    for name in os.listdir(d):
        if not name.startswith(base + "."):
            continue
        tid = name[len(base) + 1:]
        mine = []
        for line in open(os.path.join(d, name), errors="replace"):
            m = CALL.match(line)
            if not m:
                continue
            call, args, rc = m.group(1), m.group(2), int(m.group(3))
            if call.startswith("readlink") and "EINVAL" in m.group(4):
                rc = 0  # it exists, and is not a symbolic link
            if call in ("clone", "clone3", "fork", "vfork"):
                if rc > 0:
                    mine.append(("clone", None, str(rc), rc, False))
                    children.add(str(rc))
                continue
            if call in ("openat", "newfstatat", "statx", "faccessat", "faccessat2", "readlinkat"):
                dm = DIRFD.match(args)
                if not dm:
                    continue
                at = dm.group(2)
                args = args[dm.end():]
            else:
                at = None  # relative to the thread's directory
            sm = STR.match(args)
            if not sm:
                continue
            p = sm.group(1).encode().decode("unicode_escape")
            if p == "":
                continue  # fstat of an open descriptor (AT_EMPTY_PATH)
            mine.append((call, at, p, rc, call in ("open", "openat") and "O_DIRECTORY" in args))
        calls[tid] = mine
    # Walk the threads from the first (unchanged.sh's bash -c, in the root).
    todo = [(tid, ROOT, "") for tid in calls if tid not in children]
    while todo:
        tid, cwd, prog = todo.pop()
        for call, at, p, rc, listing in calls.get(tid, []):
            if call == "clone":
                todo.append((p, cwd, prog))
                continue
            path = os.path.normpath(os.path.join(at if at is not None else cwd, p))
            if call in ("chdir",) and rc == 0:
                cwd = path
            if call == "execve" and rc == 0:
                prog = path
            yield path, rc >= 0, prog, listing


def matches(rel, globs):
    return any(fnmatch.fnmatchcase(rel, g) or (g.startswith("**/") and fnmatch.fnmatchcase(rel, g[3:])) for g in globs)


def ignored(rels):
    if not rels:
        return set()
    # A directory the step created and removed matches a directory pattern
    # (/.gen-*/) only when named with a trailing slash.
    names = rels + [r + "/" for r in rels]
    out = subprocess.run(["git", "check-ignore", "--no-index", "--stdin", "-z"], input="\0".join(names) + "\0",
                         capture_output=True, text=True).stdout
    return set(x.rstrip("/") for x in out.split("\0") if x)


def check(step, given=None):
    line = recipe(step)
    listing = subprocess.run(["bash", "-c", line], env=dict(os.environ, UNCHANGED_LIST="1"),
                             capture_output=True, text=True, check=True).stdout
    files, dirs, pkgdirs, walks, globs, headers, apifiles = set(), [], set(), [], [], [], set()
    for l in listing.splitlines():
        kind, _, p = l.partition(" ")
        p = os.path.normpath(p)
        if kind == "file":
            files.add(p)
        elif kind in ("dir", "all"):
            dirs.append(p)
        elif kind == "pkgdir":
            pkgdirs.add(p)
        elif kind == "walk":
            walks.append(p)
        elif kind == "glob":
            globs.append(p)
        elif kind == "headers":
            headers.append(p)
        elif kind == "apifile":
            apifiles.add(p)
    ancestors = set()
    for f in files | apifiles | pkgdirs | set(dirs) | set(headers):
        d = os.path.dirname(f)
        while d:
            ancestors.add(d)
            d = os.path.dirname(d)
    ancestors.add(".")

    def under(p, roots):
        return any(r == "." or p == r or p.startswith(r + "/") for r in roots)

    print(f"== {step}: {line}", flush=True)
    if given:
        tmp, trace = None, given
    else:
        tmp = tempfile.mkdtemp(prefix="check-inputs.")
        trace = os.path.join(tmp, "strace")
        run = subprocess.run(["bash", "-c", line], env=dict(os.environ, FRESH="1", UNCHANGED_STRACE=trace))
        if run.returncode != 0:
            print(f"check-inputs: {step} failed (exit {run.returncode}); trace in {trace}")
            return False
    seen = {}
    for path, ok, prog, listing in touched(trace):
        if path == ROOT:
            continue
        if not path.startswith(ROOT + "/") or path.startswith(GITDIR + "/") or path == GITDIR:
            continue
        rel = path[len(ROOT) + 1:]
        if rel == ".git" or rel.startswith(".git/"):
            continue
        bygo = os.path.basename(prog) == "go"
        prev = seen.get(rel, (False, True, set(), False))
        seen[rel] = (prev[0] or ok, prev[1] and bygo, prev[2] | {os.path.basename(prog)}, prev[3] or (listing and not bygo))
    ign = ignored(list(seen))
    uncovered, probes, ignoredpaths = [], [], set()
    covered = 0
    for rel, (ok, onlygo, progs, listed) in sorted(seen.items()):
        if rel in ign or any(rel.startswith(i.rstrip("/") + "/") for i in ign):
            ignoredpaths.add(rel)
            continue
        if rel in files or under(rel, dirs) or matches(rel, globs) or rel in headers:
            covered += 1
            continue
        if (rel in pkgdirs or rel in ancestors) and not listed:
            covered += 1  # stat'ed, or listed by the go command only
            continue
        if rel in apifiles:
            covered += 1  # declared: the step's outcome depends on its API only (api: input)
            continue
        if rel.endswith(".go") and (os.path.dirname(rel) or ".") in headers:
            covered += 1  # declared: the step reads only the header of the .go files there (go/build)
            continue
        if onlygo and (os.path.dirname(rel) or ".") in pkgdirs:
            covered += 1  # the go command reads every file's header in a package's directory
            continue
        if onlygo and os.path.isdir(os.path.join(ROOT, rel)) and under(rel, walks):
            covered += 1
            continue
        if onlygo and os.path.basename(rel) == "go.mod" and under(rel, walks):
            probes.append(rel)  # a nested module's boundary: what it excludes, go list's output says
            continue
        if not ok and onlygo and GOCACHE and GOCACHE[1:] in rel:
            probes.append(rel)  # the go command looks up a cached file under the package's directory first
            continue
        if not ok and os.path.basename(rel) in ("go.work", "go.mod", "go.sum", "vendor", "modules.txt", "go.work.sum"):
            probes.append(rel)
            continue
        uncovered.append(rel + ("" if ok else " (missing)") + " by " + ",".join(sorted(progs)))
    print(f"{step}: {covered} covered paths, {len(probes)} module probes, {len(ignoredpaths)} ignored, {len(uncovered)} uncovered")
    tops = sorted(set("/".join(p.split("/")[:3]) for p in ignoredpaths))
    if tops:
        print("  ignored (review): " + ", ".join(tops))
    for u in uncovered:
        print("  UNCOVERED " + u)
    if tmp and not os.environ.get("CHECK_INPUTS_KEEP"):
        shutil.rmtree(tmp)
    elif tmp:
        print(f"  trace kept in {trace}.*")
    return not uncovered


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    if sys.argv[1] == "-trace":  # -trace PREFIX STEP: check a trace of an earlier run
        sys.exit(0 if check(sys.argv[3], sys.argv[2]) else 1)
    results = [check(s) for s in sys.argv[1:]]
    sys.exit(0 if all(results) else 1)
