// The packaging config, checked without packaging (which would download Electron): the YAML
// passes electron-builder's own schema validation, and the files it names exist and agree with
// each other (targets, file associations, icons, desktop entry, the deb's postinst).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
// js-yaml and the validator exactly as electron-builder itself loads them.
const builderRequire = createRequire(require.resolve('app-builder-lib/package.json'));
const yaml = builderRequire('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = builderRequire('./out/util/config/config.js') as {
  validateConfiguration(config: unknown, debug: { isEnabled: boolean }): Promise<void>;
};

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  fileAssociations: { ext: string | string[]; mimeType: string }[];
  linux: { target: string[]; icon: string; executableName: string; mimeTypes: string[]; desktop: { entry: Record<string, string> }; extraFiles: { from: string; to: string }[] };
  deb: { afterInstall: string; depends: string[] };
  mac: { target: string; icon: string };
  win: { target: string; icon: string };
}

const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

function pngSize(path: string): [number, number] {
  const b = readFileSync(path);
  expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s schema validation (and a misspelt option would not)', async () => {
    await expect(validateConfiguration(config, { isEnabled: false })).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, linux: { ...config.linux, tagret: 'deb' } }, { isEnabled: false })).rejects.toThrow('configuration object that does not match');
  });

  it('builds AppImage and deb on Linux, dmg on macOS, nsis on Windows', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toBe('dmg');
    expect(config.win.target).toBe('nsis');
  });

  it('associates .pcap, .pcapng and .cap', () => {
    expect(config.fileAssociations.flatMap((a) => a.ext).sort()).toEqual(['cap', 'pcap', 'pcapng']);
    expect(config.linux.mimeTypes.sort()).toEqual(config.fileAssociations.map((a) => a.mimeType).sort());
  });

  it('ships the main bundle that package.json names, the preload and the renderer, and unpacks the capture helper', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/desktop-main.mjs');
    expect(config.files).toEqual(expect.arrayContaining(['dist/**', 'renderer/dist/**', 'package.json']));
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['dist/capture-helper.mjs', 'node_modules/cap/**']));
  });

  it('unpacks every worker thread the engine starts (app/store/worker-entry.ts starts them from app.asar.unpacked)', () => {
    const started = execFileSync('grep', ['-rhoE', "startWorker\\(new URL\\('\\./[a-z-]+\\.mjs'", join(root, 'app'), '--include=*.ts', '--exclude=*.test.ts'], { encoding: 'utf8' })
      .split('\n').filter((l) => l !== '').map((l) => `dist/${/\.\/([a-z-]+\.mjs)/.exec(l)![1]}`);
    expect(started.sort()).toEqual(['dist/ahead-worker.mjs', 'dist/index-worker.mjs', 'dist/read-worker.mjs']);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(started));
    const build = readFileSync(join(root, 'scripts/build.mjs'), 'utf8');
    for (const file of started) expect(build).toContain(`'${file.slice('dist/'.length, -'.mjs'.length)}':`);
  });
});

describe('icons', () => {
  it('has a PNG of each size from 16 to 512 in resources/icons, named by size', () => {
    const dir = join(root, config.linux.icon);
    const sizes = [16, 24, 32, 48, 64, 128, 256, 512];
    expect(readdirSync(dir).sort()).toEqual(sizes.map((s) => `${s}x${s}.png`).sort());
    for (const s of sizes) expect(pngSize(join(dir, `${s}x${s}.png`))).toEqual([s, s]);
  });

  it('gives macOS and Windows a 512 px icon to convert', () => {
    expect(pngSize(join(root, config.mac.icon))).toEqual([512, 512]);
    expect(config.win.icon).toBe(config.mac.icon);
  });
});

describe('Linux integration', () => {
  const desktopFile = Object.fromEntries(readFileSync(join(root, 'resources/linux/synscope.desktop'), 'utf8')
    .split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

  it('has a desktop entry that agrees with the generated one and opens files', () => {
    for (const [key, value] of Object.entries(config.linux.desktop.entry)) expect(desktopFile[key], key).toBe(value);
    expect(desktopFile.Exec).toBe(`${config.linux.executableName} %F`);
    expect(desktopFile.MimeType.split(';').filter(Boolean).sort()).toEqual([...config.linux.mimeTypes].sort());
  });

  it('has a postinst that is valid bash once electron-builder fills it in, and grants the launcher its capabilities', () => {
    const script = readFileSync(join(root, config.deb.afterInstall), 'utf8');
    const macros = new Set([...script.matchAll(/\$\{([a-zA-Z]+)\}/g)].map((m) => m[1]));
    expect([...macros].sort()).toEqual(['executable', 'sanitizedProductName']);
    const filled = script.replaceAll('${executable}', config.linux.executableName).replaceAll('${sanitizedProductName}', 'SynScope');
    execFileSync('bash', ['-n'], { input: filled });
    expect(filled).toContain("LAUNCHER='/opt/SynScope/synscope-capture'");
    expect(filled).toContain('setcap cap_net_raw,cap_net_admin=eip "$LAUNCHER"');
    expect(config.deb.depends).toContain('libcap2-bin');
  });

  it('packs the launcher beside the app binary, where main/node-child-process.ts looks for it', () => {
    expect(config.linux.extraFiles).toEqual([{ from: 'out/native/synscope-capture', to: 'synscope-capture' }]);
    expect(existsSync(join(root, 'resources/linux/build-launcher.sh'))).toBe(true);
  });
});
