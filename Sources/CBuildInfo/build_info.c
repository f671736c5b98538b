// The values come from -Xcc -D flags given by scripts/release.sh: Swift has no compile-time
// environment, and a generated source file would dirty the work tree.
#include "build_info.h"

#ifndef MAMORI_GIT_COMMIT
#define MAMORI_GIT_COMMIT ""
#endif
#ifndef MAMORI_BUILD_DATE
#define MAMORI_BUILD_DATE ""
#endif
#ifndef MAMORI_SWIFT_VERSION
#define MAMORI_SWIFT_VERSION ""
#endif

const char *mamori_build_git_commit(void) { return MAMORI_GIT_COMMIT; }
const char *mamori_build_date(void) { return MAMORI_BUILD_DATE; }
const char *mamori_build_swift_version(void) { return MAMORI_SWIFT_VERSION; }
