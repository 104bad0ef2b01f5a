// The Create Torrent form, put together: it connects to the host, gets the file or folder and the form's
// last state (after a reload too), and shows the host's checks, preview and progress as they come.

import type { CreateHostEvent, CreateHostRequests, CreateRequests } from '../../src/shared/protocol/create';
import { connectToHost } from '../common/host';
import { CreateForm } from './form';

const host = connectToHost<CreateRequests, CreateHostRequests, never, CreateHostEvent>();

void host.request({ type: 'ready' }).then((init) => {
  const form = new CreateForm(init, {
    check: (state) => host.request({ type: 'check', state }),
    create: (state) => host.request({ type: 'create', state }),
    close: () => void host.request({ type: 'close' }),
  });
  host.onEvent((event) => {
    if (event.type === 'preview') form.showCheck(event.check);
    else form.showProgress(event.progress);
  });
  document.getElementById('app')!.append(form.element);
  form.checkNow();
  document.getElementById('name')?.focus();
});
