export default function NotFound() {
  return (
    <section className="message">
      <h1>Page not found</h1>
      <p>
        The page you were looking for is not here. <a href="/">Back to the home page</a>
      </p>
    </section>
  );
}
