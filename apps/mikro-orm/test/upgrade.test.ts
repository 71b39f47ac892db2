import { defineUpgradeSuite } from "@arena/testkit";
import { app } from "../src/app.js";

defineUpgradeSuite(app);
