import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../server/src/core/config';
import { discoverFiles, SKIPPED_DIRECTORIES } from '../server/src/core/discover';
import { UsageError } from '../server/src/core/errors';
import { LANGUAGES } from '../server/src/core/types';
import { fakeRule, useTempProject } from './helpers/project';
import { registryOf } from './helpers/registry';

const project = useTempProject('discover');
const write = project.write;

type Settings = { ignore?: string[]; maxFileSize?: number; rules?: Record<string, string> };

/** medsec:recommended over one rule that reads every language, unless `rules` says otherwise. */
function config(settings: Settings = {}) {
  return resolveConfig({ extends: ['medsec:recommended'], ...settings }, undefined, project.dir, {
    registry: registryOf([fakeRule('every-language', { languages: LANGUAGES }), fakeRule('c-only')]),
  });
}

async function discover(paths: string[] = [], settings: Settings = {}) {
  const result = await discoverFiles(project.dir, paths, config(settings));
  return { files: result.files.map((file) => file.relativePath), skipped: result.skipped, result };
}

describe('discoverFiles', () => {
  it('lists known languages in sorted order with absolute paths and languages', async () => {
    write('src/b.c');
    write('src/a.py', 'x = 1\n');
    write('App.kt', 'val x = 1\n');
    write('README.md', '# readme\n');
    write('image.png', 'not really a png');
    const { files, skipped, result } = await discover();
    expect(files).toEqual(['App.kt', 'README.md', 'src/a.py', 'src/b.c']);
    expect(skipped).toEqual([]);
    expect(result.files[3]).toEqual({ path: path.join(project.dir, 'src/b.c'), relativePath: 'src/b.c', language: 'c' });
    expect(result.files[1].language).toBe('text');
  });

  it('reads every other text file as text, and binary files only when they are key containers', async () => {
    write('config/application.properties', 'db.password=x\n');
    write('deploy/Dockerfile', 'FROM node:20\n');
    write('scripts/run', '#!/usr/bin/env python3\nprint(1)\n');
    write('scripts/setup', '#!/bin/sh\necho hi\n');
    write('.gitignore', 'build/\n');
    write('assets/logo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    write('data/blob.bin', new Uint8Array([0x01, 0x00, 0x02, 0x03]));
    // JKS magic, version 2, one private-key entry.
    write(
      'certs/client.jks',
      new Uint8Array([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 3, 0x6b, 0x65, 0x79, 0, 0, 0, 0]),
    );
    const { files, skipped, result } = await discover();
    expect(files).toEqual(['certs/client.jks', 'config/application.properties', 'deploy/Dockerfile', 'scripts/run', 'scripts/setup']);
    expect(result.files.map((f) => f.language)).toEqual(['key-container', 'text', 'text', 'python', 'shell']);
    expect(skipped).toEqual([]);
  });

  it('honours the size limit for text files, with a note', async () => {
    write('logs/trace.log', `${'x'.repeat(200)}\n`);
    const { files, skipped } = await discover([], { maxFileSize: 100 });
    expect(files).toEqual([]);
    expect(skipped).toEqual([{ path: 'logs/trace.log', reason: expect.stringMatching(/^larger than maxFileSize/) }]);
  });

  it('honours .gitignore files at every level, including negation', async () => {
    write('.gitignore', 'build/\n*.gen.c\n');
    write('build/out.c');
    write('src/main.c');
    write('src/table.gen.c');
    write('src/.gitignore', 'local.c\n!keep.gen.c\n');
    write('src/local.c');
    write('src/keep.gen.c');
    write('other/local.c');
    const { files } = await discover();
    expect(files).toEqual(['other/local.c', 'src/keep.gen.c', 'src/main.c']);
  });

  it('honours the config ignore globs (folder, ** and basename forms)', async () => {
    write('third_party/lib/x.c');
    write('vendor/y.c');
    write('gen/a.pb.c');
    write('deep/er/z.pb.c');
    write('src/main.c');
    const { files } = await discover([], { ignore: ['third_party/**', 'vendor', '*.pb.c'] });
    expect(files).toEqual(['src/main.c']);
  });

  it('skips node_modules, .git and virtual environments, but not vendored source', async () => {
    write('node_modules/pkg/index.js', 'module.exports = 1;\n');
    write('sub/node_modules/pkg/index.js', 'module.exports = 1;\n');
    write('.git/hooks/pre-commit.py', 'x = 1\n');
    write('env/pyvenv.cfg', 'home = /usr\n');
    write('env/lib/site.py', 'x = 1\n');
    write('third_party/z.c');
    write('app.js', 'let a = 1;\n');
    const { files } = await discover();
    expect(files).toEqual(['app.js', 'third_party/z.c']);
    expect(SKIPPED_DIRECTORIES).toContain('node_modules');
  });

  it('records binary and oversize files with a reason', async () => {
    write('firmware.c', new Uint8Array([0x69, 0x6e, 0x74, 0x00, 0x01]));
    write('huge.c', `${'x'.repeat(200)}\n`);
    write('small.c');
    const { files, skipped } = await discover([], { maxFileSize: 100 });
    expect(files).toEqual(['small.c']);
    expect(skipped).toEqual([
      { path: 'firmware.c', reason: expect.stringMatching(/^binary file/) },
      { path: 'huge.c', reason: expect.stringMatching(/^larger than maxFileSize \(201 > 100 bytes\); raise maxFileSize/) },
    ]);
  });

  it('scans explicit files and folders, and says why an explicit file is not scanned', async () => {
    write('.gitignore', 'ignored.c\n');
    write('a/one.c');
    write('b/two.c');
    write('notes.txt', 'hello\n');
    write('ignored.c');
    const { files, skipped } = await discover([
      path.join(project.dir, 'b'),
      path.join(project.dir, 'a/one.c'),
      path.join(project.dir, 'notes.txt'),
      path.join(project.dir, 'ignored.c'),
      path.join(project.dir, 'a'),
    ]);
    expect(files).toEqual(['a/one.c', 'b/two.c', 'notes.txt']);
    expect(skipped).toEqual([{ path: 'ignored.c', reason: 'ignored by .gitignore' }]);
  });

  it('throws a UsageError naming a path that does not exist', async () => {
    await expect(discover([path.join(project.dir, 'nope')])).rejects.toThrow(UsageError);
    await expect(discover([path.join(project.dir, 'nope')])).rejects.toThrow(/^path not found: .*nope/);
  });

  it('leaves out files that no enabled rule reads, and says so for an explicit one', async () => {
    write('a.c');
    write('b.py', 'x = 1\n');
    write('lib.h');
    const { files, skipped } = await discover([project.dir, path.join(project.dir, 'b.py')], { rules: { 'every-language': 'off' } });
    expect(files).toEqual(['a.c', 'lib.h']);
    expect(skipped).toEqual([{ path: 'b.py', reason: 'no enabled rule checks python files' }]);
  });

  it('follows symlinked folders without looping and scans each file once', async () => {
    write('src/a.c');
    fs.symlinkSync(path.join(project.dir, 'src'), path.join(project.dir, 'src/loop'));
    fs.symlinkSync(path.join(project.dir, 'src'), path.join(project.dir, 'alias'));
    fs.symlinkSync(path.join(project.dir, 'missing.c'), path.join(project.dir, 'broken.c'));
    fs.symlinkSync(path.join(project.dir, 'src/a.c'), path.join(project.dir, 'a-link.c'));
    write('elsewhere/only-linked.c');
    fs.symlinkSync(path.join(project.dir, 'elsewhere'), path.join(project.dir, 'src/linked'));
    const { files, skipped } = await discover([], { ignore: ['elsewhere'] });
    // Real paths win over links to the same file; a folder reached only through a link is still scanned.
    expect(files).toEqual(['src/a.c', 'src/linked/only-linked.c']);
    expect(skipped).toEqual([]);
  });
});

describe('names that are not valid UTF-8 (issue 12, item 10)', () => {
  it('reports a file and a folder by the bytes of their names, and leaves out an ignored one', async () => {
    write('ok.c');
    const bytes = (name: string, bad: number[]) => Buffer.concat([Buffer.from(path.join(project.dir, name)), Buffer.from(bad)]);
    fs.writeFileSync(Buffer.concat([bytes('bad', [0xff]), Buffer.from('.c')]), 'int x;\n');
    fs.mkdirSync(bytes('dir', [0xe9]));
    fs.writeFileSync(Buffer.concat([bytes('dir', [0xe9]), Buffer.from('/inner.c')]), 'int y;\n');
    fs.writeFileSync(Buffer.concat([bytes('vendor-', [0xc3, 0x28]), Buffer.from('.c')]), 'int z;\n');
    const { files, skipped } = await discover([], { ignore: ['vendor-*'] });
    expect(files).toEqual(['ok.c']);
    expect(skipped).toEqual([
      { path: 'bad\uFFFD.c', reason: 'its name is not valid UTF-8 (bad\\xff.c); rename it to scan it' },
      {
        path: 'dir\uFFFD',
        reason: 'the folder name is not valid UTF-8 (dir\\xe9); its files were not scanned: rename it to scan them',
      },
    ]);
  });

  it('scans a name that holds U+FFFD itself as any other', async () => {
    write('replacement-\uFFFD.c');
    expect((await discover()).files).toEqual(['replacement-\uFFFD.c']);
  });
});
