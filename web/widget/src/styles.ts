// The widget's styles, scoped to its shadow root so neither the shop's page nor the widget can
// restyle the other. `--accent` is the shop's colour from settings.
export const styles = `
:host { all: initial; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
.root {
  --accent: #c8102e;
  font: 15px/1.5 system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif;
  color: #1f2328;
}
.launcher {
  position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
  width: 56px; height: 56px; border-radius: 50%; border: 0; cursor: pointer;
  background: var(--accent); color: #fff; box-shadow: 0 4px 14px rgba(0,0,0,.25);
  display: flex; align-items: center; justify-content: center;
}
.launcher svg { width: 28px; height: 28px; fill: currentColor; }
.launcher .badge {
  position: absolute; top: -4px; right: -4px; min-width: 22px; height: 22px; padding: 0 6px;
  border-radius: 11px; background: #fff; color: #b3261e; border: 2px solid #b3261e;
  font: 700 12px/18px system-ui, sans-serif; text-align: center;
}
.root.left .launcher { right: auto; left: 20px; }
.panel {
  position: fixed; right: 20px; bottom: 88px; z-index: 2147483000;
  width: 370px; height: min(600px, calc(100vh - 110px));
  background: #fff; border-radius: 12px; box-shadow: 0 8px 30px rgba(0,0,0,.25);
  display: flex; flex-direction: column; overflow: hidden;
}
.root.left .panel { right: auto; left: 20px; }
.root.page .panel {
  position: static; width: 100%; max-width: 680px; height: 100vh; height: 100dvh; margin: 0 auto;
  border-radius: 0; box-shadow: none;
}
@media (max-width: 480px) {
  .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; }
  .root.open:not(.page) .launcher { display: none; }
}
header {
  display: flex; align-items: center; gap: 10px; padding: 10px 14px;
  background: var(--accent); color: #fff;
}
header img { width: 32px; height: 32px; border-radius: 6px; object-fit: cover; background: #fff; }
header h2 { margin: 0; font-size: 16px; font-weight: 600; flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
header .status { font-size: 12px; opacity: .95; }
header .close { background: transparent; border: 0; color: #fff; font-size: 22px; line-height: 1; cursor: pointer; padding: 4px 8px; min-width: 44px; min-height: 44px; }
.root.page header .close { display: none; }
.log {
  flex: 1; overflow-y: auto; list-style: none; margin: 0; padding: 14px;
  display: flex; flex-direction: column; gap: 10px; background: #f5f6f8;
}
.msg { max-width: 85%; display: flex; flex-direction: column; gap: 2px; }
.msg .bubble { padding: 8px 12px; border-radius: 12px; white-space: pre-wrap; word-break: break-word; background: #fff; border: 1px solid #e3e6ea; }
.msg.customer { align-self: flex-end; align-items: flex-end; }
.msg.customer .bubble { background: var(--accent); color: #fff; border-color: transparent; }
.msg.bot, .msg.staff { align-self: flex-start; }
.msg.staff .bubble { border-color: #9cc3a8; background: #f0faf3; }
.msg.system { align-self: center; max-width: 95%; }
.msg.system .bubble { background: transparent; border: 0; color: #4a4f57; font-size: 13px; text-align: center; padding: 2px 8px; }
.msg .who { font-size: 12px; color: #2f6b45; font-weight: 600; }
.msg time { font-size: 11px; color: #595f66; }
.msg.pending .bubble { opacity: .7; }
.msg.failed time { color: #b3261e; }
.buttons { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
.buttons button {
  border: 1px solid var(--accent); background: #fff; color: #1f2328; border-radius: 16px;
  padding: 6px 12px; font: inherit; font-size: 14px; cursor: pointer; min-height: 36px;
}
.typing .bubble { color: #4a4f57; font-style: italic; }
form.composer { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #e3e6ea; background: #fff; }
form.composer input {
  flex: 1; min-width: 0; font: inherit; padding: 9px 12px; border: 1px solid #c9ced6; border-radius: 20px;
}
form.composer button, .prechat button {
  border: 0; border-radius: 20px; padding: 9px 18px; font: inherit; cursor: pointer; min-height: 44px;
  background: var(--accent); color: #fff;
}
form.composer .photo-button {
  flex: none; width: 44px; min-width: 44px; padding: 0; border: 1px solid #c9ced6; border-radius: 50%;
  background: #fff; color: #3d4249; display: flex; align-items: center; justify-content: center;
}
form.composer .photo-button svg { width: 22px; height: 22px; fill: currentColor; }
.msg .photo-frame { display: block; }
.msg .bubble .photo-frame + .photo-frame { margin-top: 6px; }
.msg img.photo {
  display: block; max-width: 100%; width: 220px; max-height: 260px; object-fit: cover; border-radius: 8px; background: #e3e6ea;
}
.msg .photo-missing { font-size: 13px; font-style: italic; }
.msg.customer .bubble:has(> .photo-frame:only-child) { padding: 4px; }
.error { padding: 6px 12px; font-size: 13px; color: #b3261e; background: #fdecea; }
.consent { display: flex; gap: 8px; align-items: flex-start; padding: 0 12px 10px; font-size: 13px; color: #3d4249; background: #fff; }
.consent input { margin-top: 3px; }
.prechat { padding: 16px; display: flex; flex-direction: column; gap: 10px; background: #fff; border-top: 1px solid #e3e6ea; }
.prechat p { margin: 0; color: #3d4249; }
.prechat label { display: flex; flex-direction: column; gap: 4px; font-size: 14px; }
.prechat input { font: inherit; padding: 8px 10px; border: 1px solid #c9ced6; border-radius: 8px; }
.notice { padding: 4px 12px; font-size: 12px; color: #7a4d00; background: #fff6e0; }
`;
