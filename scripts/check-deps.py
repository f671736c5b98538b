#!/usr/bin/env python3
"""Checks that every target's declared dependencies in Package.swift are the modules its sources
import, no more and no fewer: an undeclared import builds only by accident (through another
target's dependency) and breaks when that one changes; a declared but unused dependency hides the
real shape of the pipeline that Package.swift's comments describe.

usage: scripts/check-deps.py            (run by scripts/test.sh; exit 1 lists every mismatch)

Reads the manifest through `swift package dump-package` (no regex over Swift code). Modules of
the toolchain (Foundation, Dispatch, Glibc, Testing, ...) are not dependencies. A product name
that differs from its module name is mapped below.
"""
import json
import os
import re
import subprocess
import sys

SYSTEM = {
    "Foundation", "FoundationEssentials", "FoundationNetworking", "FoundationXML", "Dispatch", "Glibc",
    "Musl", "Darwin", "Testing", "XCTest", "Synchronization", "_Concurrency", "Observation", "os", "RegexBuilder",
    "_Builtin_intrinsics",  # Clang's x86 intrinsics (SSE2 movemask), part of the toolchain
}
# Product name -> the modules it provides (when they differ).
PRODUCT_MODULES = {
    "Crypto": {"Crypto", "_CryptoExtras"},
    "ArgumentParser": {"ArgumentParser"},
    "Hummingbird": {"Hummingbird", "HummingbirdCore", "HTTPTypes"},  # re-exports HTTPTypes
    "HummingbirdTesting": {"HummingbirdTesting"},
    "PostgresNIO": {"PostgresNIO", "NIOCore", "NIOPosix", "Logging"},
    "AsyncHTTPClient": {"AsyncHTTPClient", "NIOCore", "NIOHTTP1", "NIOPosix", "NIOSSL", "NIOFoundationCompat"},
}
HEADER = re.compile(r"^\s*($|//|/\*|\*|#if|#else|#elseif|#endif|@preconcurrency|@_implementationOnly)")
IMPORT = re.compile(r"^\s*(?:@testable\s+|@_exported\s+|@preconcurrency\s+|internal\s+|public\s+|package\s+|private\s+)*import\s+(?:(?:struct|class|enum|func|protocol|typealias|var|let)\s+)?([A-Za-z0-9_]+)")


def main():
    manifest = json.loads(subprocess.run(["swift", "package", "dump-package"], capture_output=True, text=True, check=True).stdout)
    problems = []
    for target in manifest["targets"]:
        name, kind = target["name"], target["type"]
        if kind in ("system", "binary", "plugin", "macro"):
            continue
        declared, provides = set(), {}
        for dep in target["dependencies"]:
            if "byName" in dep:
                declared.add(dep["byName"][0])
                provides[dep["byName"][0]] = {dep["byName"][0]}
            elif "target" in dep:
                declared.add(dep["target"][0])
                provides[dep["target"][0]] = {dep["target"][0]}
            elif "product" in dep:
                product = dep["product"][0]
                declared.add(product)
                provides[product] = PRODUCT_MODULES.get(product, {product})
        path = target.get("path") or os.path.join("Tests" if kind == "test" else "Sources", name)
        imports = set()
        for root, _, files in os.walk(path):
            if any(part in root.split(os.sep) for part in target.get("exclude", [])):
                continue
            for f in files:
                if f.endswith(".swift"):
                    with open(os.path.join(root, f), encoding="utf-8") as fh:
                        for line in fh:
                            m = IMPORT.match(line)
                            if m:
                                imports.add(m.group(1))
                            elif not HEADER.match(line):
                                break  # imports come first; later "import" lines are inside string literals
        imports -= SYSTEM
        imports.discard(name)
        if kind == "system":
            continue
        # C modules of system-library targets are imported by their target name.
        covered = set().union(*provides.values()) if provides else set()
        undeclared = sorted(i for i in imports if i not in covered)
        # A test target declares the executables it runs (built first), not imported.
        executables = {t["name"] for t in manifest["targets"] if t["type"] == "executable"}
        unused = sorted(d for d in declared if not (provides[d] & imports) and not (kind == "test" and d in executables))
        for i in undeclared:
            problems.append(f"{name}: imports {i} but does not declare it")
        for d in unused:
            problems.append(f"{name}: declares {d} but no source imports it")
    if problems:
        print("Package.swift dependencies differ from the imports:")
        for p in problems:
            print("  " + p)
        sys.exit(1)
    print(f"Package.swift: the declared dependencies of {len(manifest['targets'])} targets are their imports")


if __name__ == "__main__":
    main()
