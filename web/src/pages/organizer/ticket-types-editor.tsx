import { useState } from 'react';
import { describeProblem } from '../../api/problem';
import type { TicketType, TicketTypeInput } from '../../api/types';
import { useApi } from '../../app/app-services';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { SelectField, TextAreaField, TextField } from '../../components/fields';
import { FormAlert } from '../../components/form-alert';
import { StatusBadge } from '../../components/status-badge';
import { formatDateTime, fromLocalInput, toLocalInput } from '../../format/dates';
import { formatPrice, parseMajorAmount, toMajorAmount } from '../../format/money';
import { useFormSubmit } from '../../hooks/use-form-submit';

interface TicketTypeValues {
  name: string;
  description: string;
  price: string;
  currency: string;
  quantity: string;
  salesStart: string;
  salesEnd: string;
  minPerOrder: string;
  maxPerOrder: string;
}

const currencies = ['eur', 'usd', 'gbp', 'chf', 'sek', 'jpy'];

function valuesOf(ticketType?: TicketType, defaultCurrency = 'eur'): TicketTypeValues {
  const currency = ticketType?.currency ?? defaultCurrency;
  return {
    name: ticketType?.name ?? '',
    description: ticketType?.description ?? '',
    price: ticketType ? toMajorAmount(ticketType.price, currency) : '0',
    currency,
    quantity: ticketType ? String(ticketType.quantity) : '',
    salesStart: toLocalInput(ticketType?.salesStart),
    salesEnd: toLocalInput(ticketType?.salesEnd),
    minPerOrder: String(ticketType?.minPerOrder ?? 1),
    maxPerOrder: String(ticketType?.maxPerOrder ?? 10),
  };
}

export function validateTicketType(values: TicketTypeValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!values.name.trim()) errors.name = 'Name the ticket type, e.g. "Standard".';
  if (parseMajorAmount(values.price, values.currency) === null)
    errors.price = 'Enter a price such as 25 or 25.50 (0 for free).';
  const quantity = Number(values.quantity);
  if (!values.quantity.trim() || !Number.isInteger(quantity) || quantity < 0)
    errors.quantity = 'Enter a whole number of tickets.';
  const start = fromLocalInput(values.salesStart);
  const end = fromLocalInput(values.salesEnd);
  if (start && end && end <= start) errors.salesEnd = 'Sales must end after they start.';
  const min = Number(values.minPerOrder);
  const max = Number(values.maxPerOrder);
  if (!Number.isInteger(min) || min < 1) errors.minPerOrder = 'At least 1.';
  if (!Number.isInteger(max) || max < 1) errors.maxPerOrder = 'At least 1.';
  else if (Number.isInteger(min) && max < min) errors.maxPerOrder = 'Must not be below the minimum.';
  return errors;
}

function inputOf(values: TicketTypeValues): TicketTypeInput {
  return {
    name: values.name.trim(),
    description: values.description.trim() || null,
    price: parseMajorAmount(values.price, values.currency)!,
    currency: values.currency,
    quantity: Number(values.quantity),
    salesStart: fromLocalInput(values.salesStart),
    salesEnd: fromLocalInput(values.salesEnd),
    minPerOrder: Number(values.minPerOrder),
    maxPerOrder: Number(values.maxPerOrder),
  };
}

interface TicketTypeFormProps {
  ticketType?: TicketType;
  defaultCurrency?: string;
  submitLabel: string;
  onSave(input: TicketTypeInput): Promise<void>;
  onCancel?(): void;
}

export function TicketTypeForm({ ticketType, defaultCurrency, submitLabel, onSave, onCancel }: TicketTypeFormProps) {
  const [values, setValues] = useState(() => valuesOf(ticketType, defaultCurrency));
  // A ticket type's "capacity" is its quantity.
  const form = useFormSubmit({ capacity_exceeded: 'quantity', quantity_out_of_range: 'maxPerOrder' });
  const set =
    (field: keyof TicketTypeValues) =>
    (change: React.ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) => {
      setValues((current) => ({ ...current, [field]: change.target.value }));
      form.clearError(field);
    };
  const submit = form.onSubmit(
    async () => {
      await onSave(inputOf(values));
      if (!ticketType) setValues(valuesOf(undefined, values.currency));
    },
    () => validateTicketType(values),
  );
  return (
    <form
      ref={form.formRef}
      onSubmit={submit}
      noValidate
      className="stack ticket-type-form"
      aria-label={ticketType ? `Edit ${ticketType.name}` : 'New ticket type'}
    >
      <FormAlert message={form.summary} />
      <div className="row">
        <TextField
          label="Ticket name"
          name="name"
          value={values.name}
          onChange={set('name')}
          error={form.errors.name}
          required
        />
        <TextField
          label="Price"
          name="price"
          inputMode="decimal"
          value={values.price}
          onChange={set('price')}
          error={form.errors.price}
          hint="0 makes it free"
        />
        <SelectField
          label="Currency"
          name="currency"
          value={values.currency}
          onChange={set('currency')}
          error={form.errors.currency}
        >
          {currencies.map((currency) => (
            <option key={currency} value={currency}>
              {currency.toUpperCase()}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Quantity"
          name="quantity"
          type="number"
          min={0}
          inputMode="numeric"
          value={values.quantity}
          onChange={set('quantity')}
          error={form.errors.quantity}
          required
        />
      </div>
      <TextAreaField
        label="Description (optional)"
        name="description"
        rows={2}
        value={values.description}
        onChange={set('description')}
        error={form.errors.description}
      />
      <div className="row">
        <TextField
          label="Sales start (optional)"
          name="salesStart"
          type="datetime-local"
          value={values.salesStart}
          onChange={set('salesStart')}
          error={form.errors.salesStart}
          hint="Empty: on sale once published"
        />
        <TextField
          label="Sales end (optional)"
          name="salesEnd"
          type="datetime-local"
          value={values.salesEnd}
          onChange={set('salesEnd')}
          error={form.errors.salesEnd}
          hint="Empty: until the event starts"
        />
        <TextField
          label="Min per order"
          name="minPerOrder"
          type="number"
          min={1}
          value={values.minPerOrder}
          onChange={set('minPerOrder')}
          error={form.errors.minPerOrder}
        />
        <TextField
          label="Max per order"
          name="maxPerOrder"
          type="number"
          min={1}
          value={values.maxPerOrder}
          onChange={set('maxPerOrder')}
          error={form.errors.maxPerOrder}
        />
      </div>
      <div className="actions">
        <button type="submit" className="button primary" disabled={form.busy} aria-busy={form.busy}>
          {form.busy ? 'Saving…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

interface TicketTypesEditorProps {
  eventId: string;
  ticketTypes: TicketType[];
  onChange(ticketTypes: TicketType[]): void;
}

export function TicketTypesEditor({ eventId, ticketTypes, onChange }: TicketTypesEditorProps) {
  const api = useApi();
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<TicketType | null>(null);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);

  const remove = async () => {
    if (!deleting) return;
    setDeleteBusy(true);
    setDeleteError(null);
    try {
      await api.ticketing.deleteTicketType(eventId, deleting.id);
      onChange(ticketTypes.filter((ticketType) => ticketType.id !== deleting.id));
      setDeleting(null);
    } catch (error) {
      setDeleteError(describeProblem(error));
    } finally {
      setDeleteBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="ticket-types-heading">
      <h2 id="ticket-types-heading">Ticket types</h2>
      {ticketTypes.length === 0 && <p className="hint">No ticket types yet: add at least one before publishing.</p>}
      <ul className="ticket-type-list">
        {ticketTypes.map((ticketType) => (
          <li key={ticketType.id}>
            {editing === ticketType.id ? (
              <TicketTypeForm
                ticketType={ticketType}
                submitLabel="Save ticket type"
                onCancel={() => setEditing(null)}
                onSave={async (input) => {
                  const updated = await api.ticketing.updateTicketType(eventId, ticketType.id, input);
                  onChange(ticketTypes.map((candidate) => (candidate.id === updated.id ? updated : candidate)));
                  setEditing(null);
                }}
              />
            ) : (
              <div className="ticket-type-row">
                <div>
                  <strong>{ticketType.name}</strong> · {formatPrice(ticketType.price, ticketType.currency)} ·{' '}
                  {ticketType.available} of {ticketType.quantity} left <StatusBadge status={ticketType.status} />
                  {(ticketType.salesStart || ticketType.salesEnd) && (
                    <p className="hint">
                      Sales {ticketType.salesStart ? `from ${formatDateTime(ticketType.salesStart)}` : ''}
                      {ticketType.salesEnd ? ` until ${formatDateTime(ticketType.salesEnd)}` : ''}
                    </p>
                  )}
                </div>
                <div className="actions">
                  <button
                    type="button"
                    className="button small secondary"
                    onClick={() => setEditing(ticketType.id)}
                    aria-label={`Edit ${ticketType.name}`}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="button small danger-outline"
                    onClick={() => setDeleting(ticketType)}
                    aria-label={`Delete ${ticketType.name}`}
                  >
                    Delete
                  </button>
                </div>
              </div>
            )}
          </li>
        ))}
      </ul>
      <h3>Add a ticket type</h3>
      {added && <FormAlert tone="success" message={`Added "${added}".`} />}
      <TicketTypeForm
        defaultCurrency={ticketTypes[0]?.currency}
        submitLabel="Add ticket type"
        onSave={async (input) => {
          const created = await api.ticketing.createTicketType(eventId, input);
          onChange([...ticketTypes, created]);
          setAdded(created.name);
        }}
      />
      {deleting && (
        <ConfirmDialog
          title={`Delete "${deleting.name}"?`}
          confirmLabel="Delete ticket type"
          tone="danger"
          busy={deleteBusy}
          error={deleteError}
          onConfirm={remove}
          onCancel={() => {
            setDeleting(null);
            setDeleteError(null);
          }}
        >
          <p>Only ticket types nobody has bought can be deleted.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
