/**
 * The package's own version and folder, read from package.json at run time. The bundle lives in
 * `dist/cli.js` (package.json is one folder up); tests run the TypeScript source, deeper down. Either
 * way the nearest package.json named "medsec" above this file is ours.
 */
import * as fs from 'fs';
import * as path from 'path';

interface PackageInfo {
  root: string;
  version: string;
}

let cached: PackageInfo | undefined;

function packageInfo(): PackageInfo {
  if (cached) return cached;
  let directory = __dirname;
  for (;;) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(directory, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'medsec') return (cached = { root: directory, version: manifest.version ?? '0.0.0' });
    } catch {
      // no package.json here (or an unreadable one): keep looking upwards
    }
    const parent = path.dirname(directory);
    if (parent === directory) return (cached = { root: path.resolve(__dirname, '..'), version: '0.0.0' });
    directory = parent;
  }
}

/** medsec's version, as in package.json. */
export function toolVersion(): string {
  return packageInfo().version;
}

/** The folder that holds medsec's package.json (the repository root in a clone). */
export function packageRoot(): string {
  return packageInfo().root;
}

/** Set by scripts/build.mjs: a hash of the sources and dependencies the bundle was built from. */
declare const __MEDSEC_BUILD_ID__: string | undefined;

/**
 * The medsec build a cache belongs to: the version and the build id, since the rules change between builds
 * of one version. Run from the TypeScript sources (the tests), the id is "sources".
 */
export function medsecBuild(version: string): string {
  return `${version}+${typeof __MEDSEC_BUILD_ID__ === 'string' ? __MEDSEC_BUILD_ID__ : 'sources'}`;
}
