import { runServer } from "@arena/api";
import { migrate } from "./migrate.js";
import { createStore } from "./store.js";

await runServer({ name: "pg", createStore, migrate });
