/** An error of one model, named by its `layer.name` (its own module so every part of the runner can raise it). */
export class ModelError extends Error {
  constructor(model: string, message: string) {
    super(`model ${model}: ${message}`);
    this.name = "ModelError";
  }
}
