import { useState } from 'react';
import type { EchoEvent, EventInput } from '../../api/types';
import { TextAreaField, TextField } from '../../components/fields';
import { FormAlert } from '../../components/form-alert';
import { browserTimeZone, fromLocalInput, toLocalInput } from '../../format/dates';
import { useFormSubmit } from '../../hooks/use-form-submit';

export interface EventFormValues {
  name: string;
  description: string;
  startTime: string;
  endTime: string;
  location: string;
  city: string;
  country: string;
  online: boolean;
  capacity: string;
  categories: string[];
  /** Blank: self-service refunds end when the event starts. */
  refundUntil: string;
  /** Blank: no limit per account. */
  maxTicketsPerAccount: string;
}

export function formValuesOf(event: EchoEvent | undefined): EventFormValues {
  return {
    name: event?.name ?? '',
    description: event?.description ?? '',
    startTime: toLocalInput(event?.startTime),
    endTime: toLocalInput(event?.endTime),
    location: event?.location ?? '',
    city: event?.city ?? '',
    country: event?.country ?? '',
    online: event?.online ?? false,
    capacity: event ? String(event.capacity) : '',
    categories: event?.categories ?? [],
    // The service answers the start when no deadline was set; kept blank, it follows the start.
    refundUntil:
      event?.refundPolicy?.selfServiceUntil && event.refundPolicy.selfServiceUntil !== event.startTime
        ? toLocalInput(event.refundPolicy.selfServiceUntil)
        : '',
    maxTicketsPerAccount: event?.maxTicketsPerAccount ? String(event.maxTicketsPerAccount) : '',
  };
}

const maxCategories = 5;
/** Named as the service's errors[].path names it, so its errors land on the field too. */
const refundUntilField = 'refundPolicy.selfServiceUntil';

/** Rules the services enforce too; checked here first so mistakes show before a round trip. */
export function validateEvent(values: EventFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!values.name.trim()) errors.name = 'Give the event a name.';
  else if (values.name.trim().length > 200) errors.name = 'At most 200 characters.';
  const start = fromLocalInput(values.startTime);
  const end = fromLocalInput(values.endTime);
  if (!start) errors.startTime = 'Choose when the event starts.';
  if (!end) errors.endTime = 'Choose when the event ends.';
  else if (start && end <= start) errors.endTime = 'The end must be after the start.';
  if (!values.location.trim())
    errors.location = values.online ? 'Say where to join (a link or "Online").' : 'Say where it takes place.';
  if (values.country.trim() && !/^[A-Za-z]{2}$/.test(values.country.trim()))
    errors.country = 'Use a two-letter country code such as DE.';
  const capacity = Number(values.capacity);
  if (!values.capacity.trim() || !Number.isInteger(capacity) || capacity < 1)
    errors.capacity = 'Enter a whole number of at least 1.';
  if (values.categories.length > maxCategories) errors.categories = `Choose at most ${maxCategories} categories.`;
  const refundUntil = fromLocalInput(values.refundUntil);
  if (refundUntil && end && refundUntil > end) errors[refundUntilField] = 'Refunds must end by the end of the event.';
  const perAccount = Number(values.maxTicketsPerAccount);
  if (values.maxTicketsPerAccount.trim() && (!Number.isInteger(perAccount) || perAccount < 1))
    errors.maxTicketsPerAccount = 'Enter a whole number of at least 1, or leave it blank.';
  return errors;
}

export function eventInputOf(values: EventFormValues, timezone: string): EventInput & { timezone: string } {
  return {
    name: values.name.trim(),
    description: values.description.trim(),
    startTime: fromLocalInput(values.startTime)!,
    endTime: fromLocalInput(values.endTime)!,
    location: values.location.trim(),
    city: values.city.trim() || null,
    country: values.country.trim().toUpperCase() || null,
    online: values.online,
    capacity: Number(values.capacity),
    categories: values.categories,
    refundPolicy: { selfServiceUntil: fromLocalInput(values.refundUntil) ?? null },
    maxTicketsPerAccount: values.maxTicketsPerAccount.trim() ? Number(values.maxTicketsPerAccount) : null,
    timezone,
  };
}

/** Server errors for a list field arrive per item (`categories.0`): show them on the list. */
function errorOf(errors: Record<string, string>, field: string): string | undefined {
  if (errors[field]) return errors[field];
  const key = Object.keys(errors).find((candidate) => candidate.startsWith(`${field}.`));
  return key ? errors[key] : undefined;
}

interface EventFormProps {
  event?: EchoEvent;
  categories: string[];
  submitLabel: string;
  onSave(input: EventInput & { timezone: string }): Promise<void>;
}

export function EventForm({ event, categories, submitLabel, onSave }: EventFormProps) {
  const [values, setValues] = useState<EventFormValues>(() => formValuesOf(event));
  const [saved, setSaved] = useState(false);
  const form = useFormSubmit();

  const set = <K extends keyof EventFormValues>(field: K, value: EventFormValues[K]) => {
    setValues((current) => ({ ...current, [field]: value }));
    setSaved(false);
    form.clearError(field);
  };
  const text =
    (field: Exclude<keyof EventFormValues, 'online' | 'categories'>, error: string = field) =>
    (change: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      set(field, change.target.value);
      form.clearError(error);
    };

  const submit = form.onSubmit(
    async () => {
      await onSave(eventInputOf(values, event?.timezone ?? browserTimeZone()));
      setSaved(true);
    },
    () => validateEvent(values),
  );

  const categoryError = errorOf(form.errors, 'categories');
  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="stack card" aria-label="Event details">
      <FormAlert message={form.summary} />
      {saved && <FormAlert tone="success" message="Saved." />}
      <TextField
        label="Name"
        name="name"
        value={values.name}
        onChange={text('name')}
        error={form.errors.name}
        maxLength={200}
        required
      />
      <TextAreaField
        label="Description"
        name="description"
        rows={5}
        value={values.description}
        onChange={text('description')}
        error={form.errors.description}
        hint="What to expect, who it is for. Blank lines start new paragraphs."
      />
      <div className="row">
        <TextField
          label="Starts"
          name="startTime"
          type="datetime-local"
          value={values.startTime}
          onChange={text('startTime')}
          error={form.errors.startTime}
          required
        />
        <TextField
          label="Ends"
          name="endTime"
          type="datetime-local"
          value={values.endTime}
          onChange={text('endTime')}
          error={form.errors.endTime}
          required
        />
      </div>
      <div className="checkbox-field">
        <input
          id="online"
          type="checkbox"
          checked={values.online}
          onChange={(change) => set('online', change.target.checked)}
        />
        <label htmlFor="online">Online event</label>
      </div>
      <TextField
        label={values.online ? 'Where to join' : 'Venue'}
        name="location"
        value={values.location}
        onChange={text('location')}
        error={form.errors.location}
        required
      />
      <div className="row">
        <TextField label="City" name="city" value={values.city} onChange={text('city')} error={form.errors.city} />
        <TextField
          label="Country code"
          name="country"
          value={values.country}
          onChange={text('country')}
          error={form.errors.country}
          maxLength={2}
          hint="Two letters, e.g. DE"
        />
        <TextField
          label="Capacity"
          name="capacity"
          type="number"
          min={1}
          inputMode="numeric"
          value={values.capacity}
          onChange={text('capacity')}
          error={form.errors.capacity}
          required
        />
      </div>
      <div className="row">
        <TextField
          label="Self-service refunds until"
          name="refundUntil"
          type="datetime-local"
          value={values.refundUntil}
          onChange={text('refundUntil', refundUntilField)}
          error={form.errors[refundUntilField]}
          hint="Blank: until the event starts. Afterwards only you can refund."
        />
        <TextField
          label="Tickets per account"
          name="maxTicketsPerAccount"
          type="number"
          min={1}
          inputMode="numeric"
          value={values.maxTicketsPerAccount}
          onChange={text('maxTicketsPerAccount')}
          error={form.errors.maxTicketsPerAccount}
          hint="Blank: no limit"
        />
      </div>
      <fieldset
        className={`categories${categoryError ? ' has-error' : ''}`}
        aria-describedby={categoryError ? 'categories-error' : undefined}
      >
        <legend>Categories (up to {maxCategories})</legend>
        <div className="category-options">
          {categories.map((category) => (
            <label key={category} className="chip">
              <input
                type="checkbox"
                checked={values.categories.includes(category)}
                onChange={(change) =>
                  set(
                    'categories',
                    change.target.checked
                      ? [...values.categories, category]
                      : values.categories.filter((chosen) => chosen !== category),
                  )
                }
              />
              {category}
            </label>
          ))}
        </div>
        {categoryError && (
          <p className="field-error" id="categories-error">
            {categoryError}
          </p>
        )}
      </fieldset>
      <button type="submit" className="button primary" disabled={form.busy} aria-busy={form.busy}>
        {form.busy ? 'Saving…' : submitLabel}
      </button>
    </form>
  );
}
