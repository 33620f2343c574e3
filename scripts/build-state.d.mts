// Types for build-state.mjs (plain JavaScript: it runs before the TypeScript build exists).
export function hashInputs(root: string, paths: string[]): string;
export function importsOutside(root: string, dir: string): string[];
export function uiInputs(root: string): string[];
export function isCurrent(stampFile: string, hash: string): boolean;
export function recordStamp(stampFile: string, hash: string): void;
