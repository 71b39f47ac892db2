import { defineUpgradeSuite } from "@arena/api/testing";
import { app } from "../src/app.js";

defineUpgradeSuite(app);
