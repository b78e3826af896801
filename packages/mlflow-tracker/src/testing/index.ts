export {
  type MlflowServer,
  mlflowPython,
  mlflowRequirements,
  startMlflowServer,
} from './mlflow-server.js';
