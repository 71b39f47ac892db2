import { defineAppContractSuite } from "@arena/testkit";
import { app } from "../src/app.js";

defineAppContractSuite(app);
