import { defineReliabilitySuite } from "@arena/testkit";
import { app } from "../src/app.js";

defineReliabilitySuite(app, { main: new URL("../src/main.ts", import.meta.url) });
