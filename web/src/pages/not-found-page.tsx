import { Link } from 'react-router-dom';
import { useDocumentTitle } from '../hooks/use-document-title';

export default function NotFoundPage() {
  useDocumentTitle('Not found');
  return (
    <section className="page narrow">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/events">Browse events</Link> instead.
      </p>
    </section>
  );
}
