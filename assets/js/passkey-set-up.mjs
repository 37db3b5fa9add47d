// After a passkey is set up (django-otp-webauthn's script announces it), carry on to the recovery codes,
// exactly as the authenticator app form does after its code is accepted.
document.addEventListener("otp_webauthn.register_complete", () => {
  const next = document.getElementById("passkey-next");
  if (next && next.dataset.href) {
    window.location.assign(next.dataset.href);
  }
});
