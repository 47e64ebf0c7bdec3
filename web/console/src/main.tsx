// Entry point of the staff console bundle (built by web/console/build.ts into dist/console).
import './styles.css';
import { render } from 'preact';
import { App } from './app.tsx';

const root = document.getElementById('app');
if (root) render(<App />, root);
