// The root tsconfig uses `moduleResolution: node`, which ignores package `exports`, so it cannot see the
// `vscode-languageclient/node` subpath that esbuild resolves; point the type checker at the same file.
declare module 'vscode-languageclient/node' {
  export * from 'vscode-languageclient/lib/node/main';
}
