// The bundled step phrases (README "Step reference"), with the World, hooks and parameter types they need.
// Cucumber loads this one compiled file (`require: ["<package>/dist/cucumber/steps/index.js"]`).
import "../parameter-types";
import "../hooks";
import "./setup.steps";
import "./machines.steps";
import "./network.steps";
import "./services.steps";
import "./assertions.steps";
import "./application.steps";
import "./workloads.steps";
import "./workload-assertions.steps";
import "./random.steps";
