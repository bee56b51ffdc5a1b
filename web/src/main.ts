// Entry point: builds the shell, loads the home province, starts the router.

import './styles.css';
import { api } from './api';
import { onLangChange } from './i18n';
import { notFoundPage } from './pages/not-found';
import { overviewPage } from './pages/overview';
import { unitPage } from './pages/unit';
import { unitsPage } from './pages/units';
import { Router } from './router';
import { createShell, showError } from './shell';

const shell = createShell(document.getElementById('app')!);
const router = new Router(shell.outlet, notFoundPage, (path) => shell.setActive(path))
  .add('/', overviewPage)
  .add('/units', unitsPage)
  .add('/units/:code', unitPage);

onLangChange(() => {
  shell.relabel();
  void router.refresh();
});

api
  .info()
  .then((info) => shell.setProvince(info.province.name))
  .catch(showError);

router.start();
