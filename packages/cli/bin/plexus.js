#!/usr/bin/env node
// The `plexus` command. A file of its own, present before the build, so package managers link
// it when a workspace is installed (they skip bins whose file is missing).
import '../dist/bin.js';
