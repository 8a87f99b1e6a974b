/**
 * Which project a file belongs to: the nearest folder at or above it (up to the scan root) that a build
 * system or firmware framework treats as a project. Project facts (a bootloader's anti-rollback setting, a
 * signature check in another file) answer findings of their own project only, so an `sdkconfig` of one
 * product never silences the update findings of another product scanned in the same tree.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Files that make their folder a project root. */
const PROJECT_FILES = [
  'sdkconfig',
  'prj.conf',
  'west.yml',
  'platformio.ini',
  'build.gradle',
  'build.gradle.kts',
  'settings.gradle',
  'settings.gradle.kts',
  'package.json',
  'pyproject.toml',
  'setup.py',
  'pom.xml',
  'Cargo.toml',
  'go.mod',
];
/** A folder that configures one image of a multi-image (sysbuild or NCS child image) Zephyr build. */
const IMAGE_FOLDER = /(?:^|\/)(?:sysbuild|child_image)\/[^/]+$/;
/** A CMakeLists.txt is a project root only where it declares one (ESP-IDF and Zephyr components have their own). */
const CMAKE_PROJECT = /^[ \t]*project[ \t]*\(/im;

/** Whether a file of this name may make its folder a project root (what discovery notes while it walks). */
export function isProjectFileName(name: string): boolean {
  return PROJECT_FILES.includes(name) || name === 'CMakeLists.txt';
}

export class ProjectRoots {
  private readonly isRoot = new Map<string, boolean>();
  /** The project of the files in a folder, once known. */
  private readonly projects = new Map<string, string>();

  /**
   * `root` is the scan root (absolute); paths given to `of` are relative to it, with forward slashes.
   * `projectFiles`: per folder the walk listed, the files in it that `isProjectFileName` accepts, so that
   * only folders the walk did not list are asked about each name.
   */
  constructor(
    private readonly root: string,
    private readonly projectFiles?: ReadonlyMap<string, ReadonlySet<string>>,
  ) {}

  /** The project folder of a file, relative to the scan root ('' for the root itself). */
  of(relativePath: string): string {
    const slash = relativePath.lastIndexOf('/');
    return slash < 0 ? '' : this.projectOfFolder(relativePath.slice(0, slash));
  }

  private projectOfFolder(folder: string): string {
    let project = this.projects.get(folder);
    if (project === undefined) {
      const slash = folder.lastIndexOf('/');
      project = this.isProjectRoot(folder) ? folder : slash < 0 ? '' : this.projectOfFolder(folder.slice(0, slash));
      this.projects.set(folder, project);
    }
    return project;
  }

  private isProjectRoot(folder: string): boolean {
    // `sysbuild/mcuboot/prj.conf`, `child_image/mcuboot/prj.conf`: an image of the enclosing Zephyr application
    // (its bootloader), whose settings are facts of that application, not a project of its own.
    if (IMAGE_FOLDER.test(folder)) return false;
    let known = this.isRoot.get(folder);
    if (known === undefined) {
      const absolute = path.join(this.root, folder);
      const listed = this.projectFiles?.get(folder);
      const has = listed ? (name: string) => listed.has(name) : (name: string) => isFile(path.join(absolute, name));
      known = PROJECT_FILES.some(has) || (has('CMakeLists.txt') && declaresCmakeProject(path.join(absolute, 'CMakeLists.txt')));
      this.isRoot.set(folder, known);
    }
    return known;
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function declaresCmakeProject(file: string): boolean {
  try {
    return CMAKE_PROJECT.test(fs.readFileSync(file, 'utf8').slice(0, 64 * 1024));
  } catch {
    return false;
  }
}
