/**
 * A button's action and the one sentence shown when it fails: `run` clears the last error, awaits
 * the action and keeps its error text, so a component never repeats its own try/catch for that.
 */
import { ref, type Ref } from 'vue'
import { errorText } from './format'

export interface ActionError {
  /** The failed action's sentence, or null while nothing has failed. */
  error: Ref<string | null>
  run(action: () => Promise<unknown>): Promise<void>
}

export function useActionError(): ActionError {
  const error = ref<string | null>(null)
  async function run(action: () => Promise<unknown>): Promise<void> {
    error.value = null
    try {
      await action()
    } catch (err) {
      error.value = errorText(err)
    }
  }
  return { error, run }
}
