// Entry point: builds the shell, loads the home province, starts the router. Every page but the
// login, the display (/wall, which reads with a token) and the open data portal (/open, for
// anyone) needs a signed-in account (and some a role); administrators enrol TOTP first.

import './styles.css';
import { api, type Role } from './api';
import { setDefaultAsOf } from './as-of';
import { attachTableExports } from './components/table-export';
import { onLangChange } from './i18n';
import { auditPage } from './pages/audit';
import { catalogEntryPage } from './pages/catalog-entry';
import { catalogEditPage, catalogNewPage } from './pages/catalog-form';
import { catalogListPage } from './pages/catalog-list';
import { catalogSummaryPage } from './pages/catalog-summary';
import { batchPage } from './pages/datasets-batch';
import { datasetDataPage } from './pages/datasets-data';
import { datasetsListPage } from './pages/datasets-list';
import { datasetSchemaPage } from './pages/datasets-schema';
import { forbiddenPage } from './pages/forbidden';
import { alertsPage } from './pages/ioc-alerts';
import { freshnessPage } from './pages/ioc-freshness';
import { indicatorPage } from './pages/ioc-indicator';
import { indicatorsPage } from './pages/ioc-indicators';
import { feedbackPage, publicServicesPage } from './pages/ioc-pack';
import { linkClustersPage } from './pages/link-clusters';
import { linkListPage } from './pages/link-list';
import { linkProjectPage } from './pages/link-project';
import { linkReviewPage } from './pages/link-review';
import { loginPage } from './pages/login';
import { notFoundPage } from './pages/not-found';
import { openDatasetPage, openListPage } from './pages/open';
import { overviewPage } from './pages/overview';
import { passwordPage } from './pages/password';
import { qualityPage } from './pages/quality-board';
import { qualityFailuresPage } from './pages/quality-failures';
import { reportsPage } from './pages/reports';
import { shareClientPage } from './pages/share-client';
import { shareClientsPage } from './pages/share-clients';
import { shareExchangesPage } from './pages/share-exchanges';
import { allTokensPage, myTokensPage } from './pages/tokens';
import { totpPage } from './pages/totp';
import { trackerBoardPage } from './pages/tracker-board';
import { trackerItemPage } from './pages/tracker-item';
import { trackerListPage } from './pages/tracker-list';
import { trackerOverduePage } from './pages/tracker-overdue';
import { trackerRankingPage } from './pages/tracker-ranking';
import { trackerReportsPage } from './pages/tracker-reports';
import { unitPage } from './pages/unit';
import { unitsPage } from './pages/units';
import { usersPage } from './pages/users';
import { isWallPath, startWallMode, wallPage } from './pages/wall';
import { go, Router, type View } from './router';
import { ensureSession, hasRole } from './session';
import { createShell, showError } from './shell';

/** A page for signed-in accounts, limited to `roles` when given. */
const signedIn =
  (view: View, roles?: Role[]): View =>
  async (outlet, ctx) => {
    let me;
    try {
      me = await ensureSession();
    } catch (err) {
      return showError(err);
    }
    if (!me || ctx.signal.aborted) return; // on the way to the login page
    if (me.totp_enrollment_required && ctx.path !== '/account/totp') {
      return go(`/account/totp?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
    }
    if (roles && !hasRole(me, roles)) return forbiddenPage(outlet);
    return view(outlet, ctx);
  };

// The operations centre's display reads with its token from the start, never with a session.
if (isWallPath(location.pathname)) startWallMode();

const shell = createShell(document.getElementById('app')!);
attachTableExports(shell.outlet);
const router = new Router(shell.outlet, signedIn(notFoundPage), (path) => shell.setActive(path))
  .add('/login', loginPage)
  .add('/wall', wallPage)
  .add('/open', openListPage)
  .add('/open/:id', openDatasetPage)
  .add('/', signedIn(overviewPage))
  .add('/indicators', signedIn(indicatorsPage))
  .add('/indicators/:code', signedIn(indicatorPage))
  .add('/freshness', signedIn(freshnessPage))
  .add('/public-services', signedIn(publicServicesPage))
  .add('/feedback', signedIn(feedbackPage))
  .add('/alerts', signedIn(alertsPage))
  .add('/units', signedIn(unitsPage))
  .add('/units/:code', signedIn(unitPage))
  .add('/catalog', signedIn(catalogListPage))
  .add('/catalog/summary', signedIn(catalogSummaryPage))
  .add('/catalog/new', signedIn(catalogNewPage, ['administrator', 'officer']))
  .add('/catalog/:code/edit', signedIn(catalogEditPage, ['administrator', 'officer']))
  .add('/catalog/:code', signedIn(catalogEntryPage))
  .add('/datasets', signedIn(datasetsListPage))
  .add('/datasets/:code', signedIn(datasetSchemaPage))
  .add('/datasets/:code/data', signedIn(datasetDataPage))
  .add('/batches/:id', signedIn(batchPage))
  .add('/quality', signedIn(qualityPage))
  .add('/quality/failures', signedIn(qualityFailuresPage))
  .add('/link', signedIn(linkListPage))
  .add('/link/:code', signedIn(linkProjectPage))
  .add('/link/:code/review', signedIn(linkReviewPage))
  .add('/link/:code/clusters', signedIn(linkClustersPage))
  .add('/nq57', signedIn(trackerBoardPage))
  .add('/nq57/tasks', signedIn(trackerListPage))
  .add('/nq57/tasks/:code', signedIn(trackerItemPage))
  .add('/nq57/overdue', signedIn(trackerOverduePage))
  .add('/nq57/ranking', signedIn(trackerRankingPage))
  .add('/nq57/reports', signedIn(trackerReportsPage))
  .add('/reports', signedIn(reportsPage))
  .add('/account/password', signedIn(passwordPage))
  .add('/account/totp', signedIn(totpPage))
  .add('/account/tokens', signedIn(myTokensPage))
  .add('/admin/users', signedIn(usersPage, ['administrator']))
  .add('/admin/tokens', signedIn(allTokensPage, ['administrator']))
  .add('/admin/share', signedIn(shareClientsPage, ['administrator']))
  .add('/admin/share/:client', signedIn(shareClientPage, ['administrator']))
  .add('/share/exchanges', signedIn(shareExchangesPage, ['administrator', 'officer']))
  .add('/audit', signedIn(auditPage, ['auditor', 'administrator']));

onLangChange(() => {
  shell.relabel();
  void router.refresh();
});

// The IOC's date (the as-of date when the address has none) is known before the first page reads.
api
  .info()
  .then((info) => {
    setDefaultAsOf(info.as_of, info.today);
    shell.setProvince(info.province.name, info.province.short_name);
  })
  .catch(showError)
  .finally(() => router.start());
