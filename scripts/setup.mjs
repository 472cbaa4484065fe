// Prepares a checkout for `npm test` and `npm run demo`: installs node_modules when they do not match the lock file and
// the Debian packages the tests run. It runs before node_modules exists, so it may use node:* modules only.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** The Debian package that provides each program the tests run, and where to look for it. */
const debianPackages = [
  { package: 'docker-registry', program: '/usr/bin/docker-registry' },
  { package: 'skopeo', program: 'skopeo' },
  { package: 'buildah', program: 'buildah' },
  { package: 'jq', program: 'jq' },
  { package: 'apache2-utils', program: 'htpasswd' },
  { package: 'openssl', program: 'openssl' },
  { package: 'containerd', program: 'containerd' },
];

function say(message) {
  console.log(`setup: ${message}`);
}

function fail(message) {
  console.error(`setup: ${message}`);
  process.exit(1);
}

// Runs quietly and shows the command's own output only when it fails, so a good run stays one line per step.
function run(command, args, env = process.env) {
  const result = attempt(command, args, env);
  if (!result.ok) fail(result.report);
}

function attempt(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  if (result.error) return { ok: false, report: `${command} could not start: ${result.error.message}` };
  if (result.status === 0) return { ok: true };
  const status = result.signal ?? `exit ${result.status}`;
  return {
    ok: false,
    report: `${[command, ...args].join(' ')} failed (${status}):\n${excerpt(`${result.stdout}${result.stderr}`)}`,
  };
}

// npm puts the cause first and its usage text after it, so both ends of a long output matter.
function excerpt(output) {
  const lines = output.trimEnd().split('\n');
  return lines.length <= 40 ? lines.join('\n') : [...lines.slice(0, 20), '…', ...lines.slice(-20)].join('\n');
}

/** Why node_modules must be (re)installed, or undefined when they match package-lock.json. */
function staleNodeModules() {
  const lockFile = join(root, 'package-lock.json');
  // npm writes this copy of the lock while installing; it says exactly what node_modules holds.
  const installedFile = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(installedFile)) return 'node_modules is missing';
  if (statSync(installedFile).mtimeMs >= statSync(lockFile).mtimeMs) return undefined;
  // package-lock.json is newer, which `npm install` also leaves behind: reinstall only if the content differs.
  const wanted = JSON.parse(readFileSync(lockFile, 'utf8')).packages ?? {};
  const installed = JSON.parse(readFileSync(installedFile, 'utf8')).packages ?? {};
  const differs = Object.entries(wanted).some(([path, entry]) => {
    if (path === '') return false;
    const have = installed[path];
    // npm skips optional packages for other platforms (esbuild's per-OS binaries).
    if (have === undefined) return !entry.optional;
    return have.version !== entry.version || have.integrity !== entry.integrity || have.resolved !== entry.resolved;
  });
  const extra = Object.keys(installed).some((path) => !(path in wanted));
  return differs || extra ? 'node_modules is older than package-lock.json' : undefined;
}

function isInstalled(program) {
  const candidates = program.includes('/')
    ? [program]
    : (process.env.PATH ?? '').split(delimiter).map((directory) => join(directory, program));
  return candidates.some((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return statSync(candidate).isFile();
    } catch {
      return false; // not here; the next PATH entry may have it
    }
  });
}

function missingPackages() {
  return debianPackages.filter((each) => !isInstalled(each.program)).map((each) => each.package);
}

function installDebianPackages(missing) {
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    fail(`the tests need the Debian packages ${missing.join(', ')}; install them as root:\n  sudo sh -c '${command}'`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  say(`apt-get install ${missing.join(' ')}`);
  run('apt-get', ['update'], env);
  run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], env);
  const stillMissing = missingPackages();
  if (stillMissing.length > 0) fail(`apt-get ran, yet these are still not installed: ${stillMissing.join(', ')}`);
}

function installNodeModules(reason) {
  say(`npm ci (${reason})`);
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

const reason = staleNodeModules();
if (reason) installNodeModules(reason);
const missing = missingPackages();
if (missing.length > 0) installDebianPackages(missing);
