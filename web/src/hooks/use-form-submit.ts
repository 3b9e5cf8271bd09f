import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { type FormProblem, formProblem } from '../api/problem';
import { focusFirstInvalid } from '../components/fields';

export interface FormSubmit {
  formRef: React.RefObject<HTMLFormElement | null>;
  busy: boolean;
  errors: Record<string, string>;
  summary: string | null;
  /** Validates locally, then runs the request; problems land next to their fields. */
  onSubmit(work: () => Promise<void>, validate?: () => Record<string, string>): (event: FormEvent) => void;
  /** Clears a field's error once the person edits it. */
  clearError(field: string): void;
  fail(error: unknown): void;
}

export function useFormSubmit(codeFields: Record<string, string> = {}): FormSubmit {
  const formRef = useRef<HTMLFormElement>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [focusPending, setFocusPending] = useState(0);
  const codeFieldsRef = useRef(codeFields);
  codeFieldsRef.current = codeFields;

  useEffect(() => {
    if (focusPending > 0) focusFirstInvalid(formRef.current);
  }, [focusPending]);

  const fail = useCallback((error: unknown) => {
    setProblem(formProblem(error, codeFieldsRef.current));
    setFocusPending((value) => value + 1);
  }, []);

  const onSubmit = useCallback(
    (work: () => Promise<void>, validate?: () => Record<string, string>) => (event: FormEvent) => {
      event.preventDefault();
      const local = validate?.() ?? {};
      if (Object.keys(local).length > 0) {
        const count = Object.keys(local).length;
        setProblem({
          fields: local,
          summary: `Please correct the ${count === 1 ? 'highlighted field' : 'highlighted fields'}.`,
        });
        setFocusPending((value) => value + 1);
        return;
      }
      setProblem(null);
      setBusy(true);
      work()
        .catch(fail)
        .finally(() => setBusy(false));
    },
    [fail],
  );

  const clearError = useCallback((field: string) => {
    setProblem((current) => {
      if (!current || !(field in current.fields)) return current;
      const fields = { ...current.fields };
      delete fields[field];
      return { ...current, fields };
    });
  }, []);

  return {
    formRef,
    busy,
    errors: problem?.fields ?? {},
    summary: problem?.summary ?? null,
    onSubmit,
    clearError,
    fail,
  };
}
