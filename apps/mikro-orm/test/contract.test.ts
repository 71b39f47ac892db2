import { defineAppContractSuite } from "@arena/api/testing";
import { app } from "../src/app.js";

defineAppContractSuite(app);
