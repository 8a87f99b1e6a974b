/**
 * Environment variables the extension adds when it starts the language server (the client library passes
 * the extension host's environment along with these).
 *
 * MALLOC_ARENA_MAX=2: glibc's malloc gives each thread that allocates its own arena, up to eight per core,
 * and keeps what it freed there for reuse rather than handing it back. The server runs the document worker,
 * the workspace-scan worker and V8's compiler and garbage-collector threads, so after a busy session most of
 * its native memory sat in arenas no thread needed any more: 114 MB of them with every file of a 300k-line
 * workspace open, 23 MB with two arenas (bench/lsp-latency.mjs, which starts the server the same way).
 * Two, not one: the main thread keeps an arena of its own and does not wait on the worker's allocations. A
 * value the user set wins; other C libraries (musl) ignore the variable.
 */
export function serverEnvironment(inherited: NodeJS.ProcessEnv): Record<string, string> {
  return { MALLOC_ARENA_MAX: inherited.MALLOC_ARENA_MAX ?? '2' };
}
