#!/usr/bin/env python3
"""CycloneDX 1.5 SBOM (JSON) for a Mamori build, from Package.resolved.

Each pinned package becomes a component with its version, git revision, source URL as a purl
(pkg:swift/github.com/OWNER/NAME@VERSION) and its licence, read from the LICENSE file of the
package's checkout when the build has one (SPDX id guessed from the licence's first lines).
Usage: scripts/sbom.py PACKAGE_RESOLVED CHECKOUTS_DIR MAMORI_VERSION > sbom.json
"""
import json
import os
import sys
import uuid
from datetime import datetime, timezone


def licence_id(checkout):
    if not os.path.isdir(checkout):
        return None
    for name in sorted(os.listdir(checkout)):
        if name.lower().startswith(("license", "licence", "copying")):
            with open(os.path.join(checkout, name), errors="replace") as handle:
                head = handle.read(2000)
            if "Apache License" in head and "Version 2.0" in head:
                return "Apache-2.0"
            if "MIT License" in head or "Permission is hereby granted, free of charge" in head:
                return "MIT"
            if "BSD" in head:
                return "BSD-3-Clause"
    return None


def main():
    resolved, checkouts, version = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(resolved) as handle:
        pins = json.load(handle)["pins"]
    components = []
    for pin in sorted(pins, key=lambda p: p["identity"]):
        location = pin["location"]
        path = location.split("://", 1)[-1]
        if path.endswith(".git"):
            path = path[:-4]
        state = pin.get("state", {})
        ver = state.get("version") or state.get("revision", "")[:12]
        component = {
            "type": "library",
            "bom-ref": f"pkg:swift/{path}@{ver}",
            "name": pin["identity"],
            "version": ver,
            "purl": f"pkg:swift/{path}@{ver}",
            "externalReferences": [{"type": "vcs", "url": location}],
        }
        if state.get("revision"):
            component["hashes"] = [{"alg": "SHA-1", "content": state["revision"]}]
        checkout = os.path.join(checkouts, location.rstrip("/").split("/")[-1].removesuffix(".git"))
        spdx = licence_id(checkout)
        if spdx:
            component["licenses"] = [{"license": {"id": spdx}}]
        components.append(component)
    sbom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": f"urn:uuid:{uuid.uuid4()}",
        "version": 1,
        "metadata": {
            "timestamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "component": {"type": "application", "bom-ref": f"pkg:swift/mamori@{version}", "name": "mamori",
                          "version": version, "licenses": [{"license": {"id": "Apache-2.0"}}]},
            "tools": {"components": [{"type": "application", "name": "mamori scripts/sbom.py"}]},
        },
        "components": components,
        "dependencies": [{"ref": f"pkg:swift/mamori@{version}", "dependsOn": [c["bom-ref"] for c in components]}],
    }
    json.dump(sbom, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
