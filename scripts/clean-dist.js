// Removes dist/ so that a deleted source never leaves a stale compiled test behind.
require("node:fs").rmSync(require("node:path").join(__dirname, "..", "dist"), { recursive: true, force: true });
