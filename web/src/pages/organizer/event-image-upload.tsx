import { useId, useState } from 'react';
import { describeProblem } from '../../api/problem';
import { useApi } from '../../app/app-services';

const accepted = ['image/jpeg', 'image/png', 'image/webp'];
const maxBytes = 5 * 1024 * 1024;

/** The event's picture: checked here for type and size, converted and stored by the events service. */
export function EventImageUpload({
  eventId,
  imageUrl,
  onUploaded,
}: {
  eventId: string;
  imageUrl?: string | null;
  onUploaded(url: string): void;
}) {
  const api = useApi();
  const inputId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const upload = async (file: File | undefined) => {
    setDone(false);
    if (!file) return;
    if (!accepted.includes(file.type)) {
      setError('Use a JPEG, PNG or WebP image.');
      return;
    }
    if (file.size > maxBytes) {
      setError('The image is larger than 5 MB.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { imageUrl: url } = await api.events.uploadImage(eventId, file);
      onUploaded(url);
      setDone(true);
    } catch (failure) {
      setError(describeProblem(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby={`${inputId}-heading`}>
      <h2 id={`${inputId}-heading`}>Image</h2>
      {imageUrl ? (
        <img className="image-preview" src={imageUrl} alt="The event as currently shown" />
      ) : (
        <p className="hint">No image yet.</p>
      )}
      <div className={`field${error ? ' has-error' : ''}`}>
        <label htmlFor={inputId}>{imageUrl ? 'Replace the image' : 'Upload an image'}</label>
        <input
          id={inputId}
          type="file"
          accept={accepted.join(',')}
          disabled={busy}
          aria-invalid={Boolean(error)}
          aria-describedby={`${inputId}-hint${error ? ` ${inputId}-error` : ''}`}
          onChange={(change) => void upload(change.target.files?.[0])}
        />
        <p className="hint" id={`${inputId}-hint`}>
          JPEG, PNG or WebP, at most 5 MB. A wide picture (16:9) looks best.
        </p>
        {error && (
          <p className="field-error" id={`${inputId}-error`} role="alert">
            {error}
          </p>
        )}
      </div>
      {busy && (
        <p className="loading" role="status">
          <span className="spinner" aria-hidden="true" />
          Uploading…
        </p>
      )}
      {done && (
        <p className="form-alert success" role="status">
          Image uploaded.
        </p>
      )}
    </section>
  );
}
