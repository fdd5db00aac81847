import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root holds data/ and templates/. This file sits two levels below it both as
 * src/common/paths.ts (tests, tsx) and as dist/common/paths.js (the installed CLI).
 */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DATA_DIR = path.join(PACKAGE_ROOT, 'data');
export const PROGRAMS_DIR = path.join(DATA_DIR, 'programs');
export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'templates');
