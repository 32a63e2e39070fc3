#!/usr/bin/env node
// A throw-away PostgreSQL cluster for tests and CI: a temp dir, initdb, a loopback port, no
// durability. Used by test/support/postgres-global-setup.ts and .ci/run; the bench (case 8) asks
// for a durable one.
//
//   node scripts/pg-cluster.mjs start         prints HOOKFLOW_TEST_PG_URL=…, HOOKFLOW_TEST_PG_DIR=…,
//                                             HOOKFLOW_TEST_PG_PID=… (one per line)
//   node scripts/pg-cluster.mjs stop <dir>    stops that cluster and removes its dir
import { execFile, execFileSync } from 'node:child_process'
import { accessSync, appendFileSync, chownSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

const DIR_PREFIX = 'hookflow-pg-'
const SUPERUSER = 'hookflow'
const START_TIMEOUT_SEC = 30
const INSTALL_HINT = 'install PostgreSQL (apt-get install -y postgresql) or set HOOKFLOW_TEST_PG_URL to a server of your own'

// Durability is worthless for a cluster deleted after the run, and costs most of the time.
const TEST_SETTINGS = {
  listen_addresses: '127.0.0.1',
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: '400'
}

// The bench compares PostgreSQL with SQLite on disk: there a commit must cost what it costs in
// production, so these are PostgreSQL's own defaults, spelled out (each commit waits for its WAL
// to reach the disk).
const DURABLE_SETTINGS = {
  ...TEST_SETTINGS,
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on'
}

/**
 * Starts a fresh cluster. The server outlives this process (the CLI's `start` relies on that):
 * call `stop()` or `stopCluster(dataDir)` to end it.
 * @param {{ durable?: boolean }} [options] durable: fsync and synchronous commits (the bench);
 *   by default neither (tests).
 * @returns {Promise<{ url: string, dataDir: string, pid: number, stop: () => Promise<void> }>}
 */
export async function startCluster ({ durable = false } = {}) {
  const bin = findBinDir()
  const owner = clusterOwner()
  const dataDir = mkdtempSync(join(tmpdir(), DIR_PREFIX))
  try {
    if (owner !== undefined) chownSync(dataDir, owner.uid, owner.gid)
    await initdb(bin, dataDir, owner, durable ? DURABLE_SETTINGS : TEST_SETTINGS)
    const port = await startServer(bin, dataDir, owner)
    const url = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`
    await checkConnects(url)
    const pid = serverPid(dataDir)
    return { url, dataDir, pid, stop: async () => stopCluster(dataDir) }
  } catch (err) {
    try {
      stopCluster(dataDir)
    } catch {
      // The first error says what went wrong; a failed cleanup would only hide it.
    }
    throw err
  }
}

/** Stops the cluster in `dataDir` (immediate: nothing in it is worth a checkpoint) and removes it. */
export function stopCluster (dataDir) {
  if (!basename(dataDir).startsWith(DIR_PREFIX) || !statSync(dataDir).isDirectory()) {
    // rm -rf on a path from the command line: only ever on a dir this script made.
    throw new Error(`${dataDir} is not a cluster made by scripts/pg-cluster.mjs (a ${DIR_PREFIX}* directory)`)
  }
  if (existsSync(join(dataDir, 'postmaster.pid'))) {
    const { uid, gid } = statSync(dataDir)
    const owner = isRoot() ? { uid, gid } : undefined
    try {
      runSync(join(findBinDir(), 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', String(START_TIMEOUT_SEC)], owner, dataDir)
    } catch (err) {
      // A server that already died (crash, OOM kill) leaves its pid file behind: nothing to stop.
      if (isAlive(serverPid(dataDir))) {
        throw new Error(`cannot stop the PostgreSQL cluster in ${dataDir} (left in place): ${err.message}`)
      }
    }
  }
  rmSync(dataDir, { recursive: true, force: true })
}

/** initdb and pg_ctl: on PATH first, else the newest /usr/lib/postgresql/<n>/bin (Debian keeps them off PATH). */
function findBinDir () {
  const candidates = (process.env.PATH ?? '').split(delimiter).filter(Boolean)
  const debian = '/usr/lib/postgresql'
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a))
    candidates.push(...versions.map((v) => join(debian, v, 'bin')))
  }
  const dir = candidates.find((d) => isExecutable(join(d, 'initdb')) && isExecutable(join(d, 'pg_ctl')))
  if (dir === undefined) throw new Error(`PostgreSQL's initdb and pg_ctl were found neither on PATH nor in ${debian}/*/bin: ${INSTALL_HINT}`)
  return dir
}

function isExecutable (file) {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function isRoot () {
  return typeof process.getuid === 'function' && process.getuid() === 0
}

/**
 * initdb and postgres refuse to run as root, so as root the cluster belongs to Debian's
 * `postgres` user, else `nobody`. Not root: undefined (run as ourselves).
 */
function clusterOwner () {
  if (!isRoot()) return undefined
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))
      return { uid, gid }
    } catch {
      // no such user: try the next
    }
  }
  throw new Error('running as root, and neither a postgres nor a nobody user exists to own the cluster (initdb refuses root)')
}

/**
 * Node's uid/gid spawn options switch user (and drop root's extra groups) without needing runuser.
 * PG* variables of the caller (PGDATA, PGPORT…) must not steer the tools to another cluster, and
 * the cwd must be one the owner can enter.
 */
function spawnOptions (owner, cwd) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PG')))
  return { cwd, env, ...(owner === undefined ? {} : { uid: owner.uid, gid: owner.gid }) }
}

function run (file, args, owner, cwd) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...spawnOptions(owner, cwd), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`.trim()
      if (err) reject(new Error(`${basename(file)} failed (${err.code ?? err.signal ?? err.message}):\n${output}`))
      else resolve(output)
    })
  })
}

function runSync (file, args, owner, cwd) {
  try {
    return execFileSync(file, args, { ...spawnOptions(owner, cwd), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (err) {
    throw new Error(`${basename(file)} failed (${err.status ?? err.signal}):\n${`${err.stdout ?? ''}${err.stderr ?? ''}`.trim()}`)
  }
}

async function initdb (bin, dataDir, owner, settings) {
  const args = ['-D', dataDir, '-A', 'trust', '-E', 'UTF8', '--locale=C', '-U', SUPERUSER, '--no-sync']
  await run(join(bin, 'initdb'), args, owner, dataDir)
  const lines = Object.entries({ ...settings, unix_socket_directories: dataDir })
    .map(([key, value]) => `${key} = '${value.replaceAll("'", "''")}'`)
  // Appended as root, the file keeps its owner (the cluster's user).
  appendFileSync(join(dataDir, 'postgresql.conf'), `\n# scripts/pg-cluster.mjs: a throw-away cluster\n${lines.join('\n')}\n`)
}

/**
 * The port is free when picked but may be taken before postgres binds it (another run starting
 * at the same moment): then try another, a few times.
 */
async function startServer (bin, dataDir, owner) {
  const log = join(dataDir, 'postgres.log')
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    // Later lines of postgresql.conf win, so a retry just appends its port.
    appendFileSync(join(dataDir, 'postgresql.conf'), `port = ${port}\n`)
    try {
      await run(join(bin, 'pg_ctl'), ['start', '-D', dataDir, '-l', log, '-w', '-t', String(START_TIMEOUT_SEC)], owner, dataDir)
      return port
    } catch (err) {
      const tail = logTail(log)
      if (attempt < 3 && /could not bind|Address already in use/i.test(tail)) continue
      throw new Error(`PostgreSQL did not start in ${dataDir}: ${err.message}\n--- ${log} (last lines) ---\n${tail}`)
    }
  }
}

function freePort () {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

function logTail (file, lines = 30) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch (err) {
    return `(no log: ${err.message})`
  }
}

function serverPid (dataDir) {
  return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
}

function isAlive (pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return err.code === 'EPERM'
  }
}

/** pg_ctl -w saw the server ready; this proves the URL we hand out (TCP, user, database) works. */
async function checkConnects (url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
  } catch (err) {
    throw new Error(`PostgreSQL started but ${url} does not accept connections: ${err.message}`)
  } finally {
    await client.end().catch(() => {})
  }
}

async function main (argv) {
  const [command, dir] = argv
  if (command === 'start' && dir === undefined) {
    const cluster = await startCluster()
    process.stdout.write(`HOOKFLOW_TEST_PG_URL=${cluster.url}\nHOOKFLOW_TEST_PG_DIR=${cluster.dataDir}\nHOOKFLOW_TEST_PG_PID=${cluster.pid}\n`)
  } else if (command === 'stop' && dir !== undefined) {
    stopCluster(dir)
  } else {
    throw new Error('usage: node scripts/pg-cluster.mjs start | stop <dataDir>')
  }
}

// Run as a script (argv[1] may be a symlink to this file), not imported.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`pg-cluster: ${err.message}\n`)
    process.exitCode = 1
  })
}
