import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type DiscoveredApp, discoverApps, repoRoot } from "../lib/apps.js";
import { composeFiles, DOCKERFILES } from "../lib/compose.js";

// No Docker engine runs where the tests run, so this checks what can be checked without one: the
// compose file parses, names one service per app manifest, and every path, build argument,
// database and target it names exists and agrees; the Dockerfile builds an app with the project's
// own commands, and those commands, run here for real, leave the files the image starts; the
// Python Dockerfile installs each Python app's lock as its build does, and every file it copies
// and command it runs is there.

const dockerDir = join(repoRoot, "docker");
const composeFile = join(dockerDir, "compose.yaml");
const dockerfile = readFileSync(join(repoRoot, DOCKERFILES.node), "utf8");
const pythonDockerfile = readFileSync(join(repoRoot, DOCKERFILES.python), "utf8");
const rootPackage = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
  devDependencies: Record<string, string>;
};
const allApps = await discoverApps();
const apps = allApps.filter((app) => app.manifest.runtime === "node");
const pythonApps = allApps.filter((app) => app.manifest.runtime === "python");
/** The Dockerfile's build argument, as it is written there. */
const APP_ARG = `\${APP}`;

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string; args?: Record<string, string> };
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  profiles?: string[];
  command?: string[];
}
// Compose reads YAML 1.1 merge keys (`<<: *app`), which the yaml package applies with `merge`.
const compose = parse(readFileSync(composeFile, "utf8"), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const appServices = Object.entries(services).filter(([, service]) => service.build?.args?.APP !== undefined);
const databaseOf = (service: Service) => new URL(service.environment?.DATABASE_URL ?? "").pathname.slice(1);
const commaList = (value: string | undefined) => (value ?? "").split(",").map((item) => item.trim());

/** Dockerfile instructions per stage, continuation lines joined and comments dropped. */
function stages(text: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  let current: string[] = [];
  const logical = text
    .replace(/\\\n(\s*#.*\n)*/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  for (const line of logical) {
    const from = /^FROM\s+\S+\s+AS\s+(\S+)/i.exec(line);
    if (from?.[1]) {
      current = [];
      result.set(from[1], current);
    }
    current.push(line.replace(/\s+/g, " "));
  }
  return result;
}
const dockerStages = stages(dockerfile);
const stage = (name: string) => dockerStages.get(name) ?? [];
const pythonStages = stages(pythonDockerfile);
const pythonStage = (name: string) => pythonStages.get(name) ?? [];

describe("docker/compose.yaml", () => {
  it("is what `npm run compose` generates from the manifests, as is postgres-init.sql", () => {
    const generated = composeFiles(allApps);
    expect(readFileSync(composeFile, "utf8"), "run `npm run compose`").toBe(generated.compose);
    expect(readFileSync(join(dockerDir, "postgres-init.sql"), "utf8"), "run `npm run compose`").toBe(
      generated.postgresInit,
    );
  });

  it("parses, with PostgreSQL, the load runner and one service per app", () => {
    expect(services.postgres?.image).toMatch(/^postgres:\d+/);
    expect(services["load-runner"]?.build?.target).toBe("runner");
    expect(appServices.map(([name]) => name).sort()).toEqual(allApps.map((app) => app.manifest.name).sort());
  });

  it.each(allApps.map((app): [string, DiscoveredApp] => [app.manifest.name, app]))(
    "builds and serves %s",
    (name, app) => {
      const service = services[name] as Service;
      expect(service.build?.args?.APP).toBe(name);
      expect(service.build?.dockerfile).toBe(DOCKERFILES[app.manifest.runtime]);
      expect(service.ports?.[0]).toBe(`${app.manifest.docker.port}:3000`);
      // The Dockerfile finds the app as apps/${APP} and builds it as @arena/app-${APP}.
      expect(basename(app.dir)).toBe(name);
      expect(JSON.parse(readFileSync(join(app.dir, "package.json"), "utf8")).name).toBe(`@arena/app-${name}`);
      expect(service.ports).toHaveLength(1);
      expect(service.ports?.[0]).toMatch(/^\d+:3000$/);
      expect(service.depends_on?.postgres?.condition).toBe("service_healthy");
      expect(service.environment).toMatchObject({ JWT_SECRET: expect.any(String), ARENA_SQL_COUNTER: "1" });
      expect(service.environment?.WORKERS).toBeDefined();
      expect(service.environment?.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\/arena_\w+$/);
    },
  );

  it("gives every app its own host port and its own database, created by the init script", () => {
    const ports = appServices.map(([, service]) => service.ports?.[0]?.split(":")[0]);
    expect(new Set(ports).size).toBe(appServices.length);
    const databases = appServices.map(([, service]) => databaseOf(service));
    expect(new Set(databases).size).toBe(appServices.length);
    const init = readFileSync(join(dockerDir, "postgres-init.sql"), "utf8");
    const created = [...init.matchAll(/^CREATE DATABASE (\w+);$/gm)].map((match) => match[1]);
    expect(created.sort()).toEqual(databases.sort());
  });

  it("names only paths that exist", () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) {
        const context = resolve(dockerDir, service.build.context);
        expect(context, name).toBe(resolve(repoRoot));
        expect(existsSync(join(context, service.build.dockerfile)), `${name}: ${service.build.dockerfile}`).toBe(true);
        if (service.build.target) expect(dockerStages.has(service.build.target), name).toBe(true);
      }
      for (const volume of service.volumes ?? []) {
        const source = volume.split(":")[0] as string;
        // The results folder is created by the bench; every other mount must exist already.
        if (source.startsWith(".") && !source.endsWith("results")) {
          expect(existsSync(resolve(dockerDir, source)), `${name}: ${source}`).toBe(true);
        }
      }
    }
    expect(existsSync(join(repoRoot, ".dockerignore"))).toBe(true);
    for (const line of stage("runner")) {
      const script = /^ENTRYPOINT \[.*"(docker\/[^"]+)"\]/.exec(line)?.[1];
      if (script) expect(existsSync(join(repoRoot, script)), script).toBe(true);
    }
  });

  it("points the load runner at every app and at every app's database", () => {
    const runner = services["load-runner"] as Service;
    const env = runner.environment ?? {};
    expect(commaList(env.ARENA_TARGETS).sort()).toEqual(
      appServices.map(([name]) => `${name}=http://${name}:3000`).sort(),
    );
    expect(commaList(env.ARENA_TARGET_DATABASES).sort()).toEqual(
      appServices.map(([name, service]) => `${name}=${service.environment?.DATABASE_URL}`).sort(),
    );
    for (const [name] of appServices) expect(runner.depends_on?.[name]?.condition, name).toBe("service_healthy");
    const script = readFileSync(join(dockerDir, "load-runner.sh"), "utf8");
    expect(script).toContain('--target "$ARENA_TARGETS" --target-db "$ARENA_TARGET_DATABASES"');
  });
});

describe("docker/Dockerfile", () => {
  it("builds an app in stages: prune, build with the project's commands, a slim image run by node", () => {
    expect([...dockerStages.keys()]).toEqual(["runner", "prune", "build", "app"]);
    expect(stage("prune")).toContain(
      `RUN npx --yes turbo@${rootPackage.devDependencies.turbo} prune "@arena/app-\${APP}" --docker --out-dir /pruned`,
    );
    expect(stage("build")).toContain("RUN npm ci --ignore-scripts --no-audit --no-fund");
    expect(buildLine()).toBe(`RUN npx turbo run build --filter="@arena/app-\${APP}" --output-logs=errors-only`);
    // Production dependencies only, from the same lockfile (npm prune --omit=dev keeps too much; see the Dockerfile).
    expect(stage("build").some((line) => line.includes("npm ci --omit=dev --omit=optional --omit=peer"))).toBe(true);
    expect(stage("app")).toContain("USER node");
    expect(stage("app")).toContain(`WORKDIR /arena/apps/\${APP}`);
    expect(stage("app")).toContain('CMD ["sh", "-c", "node dist/migrate.js && exec node dist/main.js"]');
    expect(stage("app").some((line) => line.startsWith("COPY --from=build"))).toBe(true);
    expect(stage("runner")).toContain("USER node");
  });

  it("installs no test tool with the runtime packages (the testkit is a dev dependency of each app)", () => {
    for (const dir of ["packages/api", "packages/contract", "packages/database"]) {
      const manifest = JSON.parse(readFileSync(join(repoRoot, dir, "package.json"), "utf8")) as Record<
        string,
        Record<string, string> | undefined
      >;
      const runtime = { ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies };
      for (const tool of ["vitest", "fast-check", "@arena/testkit"])
        expect(runtime[tool], `${dir}: ${tool}`).toBeUndefined();
    }
    for (const app of apps) {
      const manifest = JSON.parse(readFileSync(join(app.dir, "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
      };
      expect(manifest.dependencies["@arena/testkit"], app.manifest.name).toBeUndefined();
    }
  });

  it("starts from the Node the project pins, so images run what the tests ran", () => {
    const image = /^ARG NODE_IMAGE=node:(\S+?)-/m.exec(dockerfile)?.[1];
    expect(image).toBe(rootPackage.devDependencies.node);
  });

  it("starts what the project's own scripts start", () => {
    for (const app of apps) {
      const scripts = JSON.parse(readFileSync(join(app.dir, "package.json"), "utf8")).scripts;
      // `exec`: npm runs a script through `sh -c`, and a SIGTERM npm passes on would stop only the
      // shell, leaving the server orphaned; exec'd, the server is the process that gets it.
      expect(scripts.start, app.manifest.name).toBe("exec node dist/main.js");
      expect(scripts.migrate, app.manifest.name).toBe("node dist/migrate.js");
      expect(`exec ${app.manifest.commands.start}`, app.manifest.name).toBe(scripts.start);
      expect(app.manifest.commands.migrate, app.manifest.name).toBe(scripts.migrate);
    }
  });

  // The build itself, without Docker: the Dockerfile's build command for every app (turbo's cache
  // makes it quick when the apps are built already), then the files the image's CMD starts.
  it("builds every app with its build command, leaving dist/main.js and dist/migrate.js", () => {
    // The shell's part: quotes removed, ${APP} expanded (here to every app at once).
    const [command, ...words] = buildLine().replace(/^RUN /, "").replaceAll('"', "").split(" ");
    const args = words.flatMap((word) =>
      word.includes(APP_ARG) ? apps.map((app) => word.replace(APP_ARG, app.manifest.name)) : [word],
    );
    const build = spawnSync(command as string, args, { cwd: repoRoot, encoding: "utf8" });
    expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
    for (const app of apps) {
      for (const file of ["dist/main.js", "dist/migrate.js"]) {
        expect(existsSync(join(app.dir, file)), `${app.manifest.name}: ${file}`).toBe(true);
      }
    }
  }, 600_000);
});

describe("docker/python.Dockerfile", () => {
  const expand = (text: string, app: DiscoveredApp) => text.replaceAll(APP_ARG, app.manifest.name);
  /** The files and folders its COPY instructions take from the build context (not from a stage). */
  const copied = pythonStage("build")
    .filter((line) => line.startsWith("COPY ") && !line.includes("--from="))
    .flatMap((line) => line.split(" ").slice(1, -1));

  it("builds a .venv from the app's hashed lock in one stage, and runs it unprivileged in a slim one", () => {
    expect([...pythonStages.keys()]).toEqual(["build", "app"]);
    expect(copied).toContain(`apps/${APP_ARG}/requirements.lock`);
    const install = pythonStage("build").find((line) => line.includes("pip install")) ?? "no pip install";
    // As scripts/python/build-venv.mjs installs it: every wheel's hash checked, nothing built from source.
    const buildVenv = readFileSync(join(repoRoot, "scripts/python/build-venv.mjs"), "utf8");
    for (const flag of ["--require-hashes", "--only-binary=:all:"]) {
      expect(install).toContain(flag);
      expect(buildVenv).toContain(`"${flag}"`);
    }
    expect(install).toContain("-r requirements.lock");
    expect(pythonStage("build")).toContain(`WORKDIR /arena/apps/${APP_ARG}`);
    expect(pythonStage("app")).toContain(`WORKDIR /arena/apps/${APP_ARG}`);
    expect(pythonStage("app")).toContain("COPY --from=build /arena /arena");
    const uid = /^USER (\d+):\d+$/.exec(pythonStage("app").find((line) => line.startsWith("USER ")) ?? "")?.[1];
    expect(Number(uid)).toBeGreaterThan(0);
    expect(pythonStage("app").some((line) => line.includes(`useradd --system --uid ${uid} `))).toBe(true);
    expect(pythonStage("app")).toContain("EXPOSE 3000");
    expect(pythonStage("app").find((line) => line.startsWith("HEALTHCHECK "))).toContain("/healthz");
    expect(readFileSync(join(repoRoot, ".dockerignore"), "utf8").split("\n")).toContain("**/.venv");
  });

  it("starts from the Python minor version the apps' locks were resolved for", () => {
    const image = /^ARG PYTHON_IMAGE=python:(\d+\.\d+)[.-]/m.exec(pythonDockerfile)?.[1];
    expect(image).toBeDefined();
    for (const app of pythonApps) {
      const lock = readFileSync(join(app.dir, "requirements.lock"), "utf8");
      expect(/--python-version (\d+\.\d+)/.exec(lock)?.[1], app.manifest.name).toBe(image);
    }
  });

  it.each(pythonApps.map((app): [string, DiscoveredApp] => [app.manifest.name, app]))(
    "has every file %s's image copies, and starts it with its manifest's commands",
    (name, app) => {
      for (const source of copied)
        expect(existsSync(join(repoRoot, expand(source, app))), expand(source, app)).toBe(true);
      // The .pth file names these source folders; the build imports the layer and the migrate module.
      expect(existsSync(join(repoRoot, "packages/py-api/src/arena_api/__init__.py"))).toBe(true);
      expect(existsSync(join(app.dir, "src", `arena_${name}`, "migrate.py")), name).toBe(true);
      // A migrations folder outside the app is copied from the context at its repository path.
      const migrations = resolve(app.dir, app.manifest.migrations.directory);
      expect(existsSync(migrations), migrations).toBe(true);
      expect(migrations.startsWith(`${resolve(repoRoot)}/`), migrations).toBe(true);
      expect(migrations).not.toMatch(/\/(node_modules|dist|\.venv)\//);

      const cmd = pythonStage("app").find((line) => line.startsWith("CMD ")) ?? "no CMD";
      const [shell, flag, script] = JSON.parse(cmd.slice(4)) as string[];
      expect([shell, flag]).toEqual(["sh", "-c"]);
      expect(expand((script ?? "").replaceAll('"', ""), app)).toBe(
        `${app.manifest.commands.migrate} && exec ${app.manifest.commands.start}`,
      );
    },
  );
});

/** The build stage's `turbo run build` line. */
function buildLine(): string {
  return (
    stage("build").find((line) => line.startsWith("RUN npx turbo run build")) ?? "no turbo build in the build stage"
  );
}
