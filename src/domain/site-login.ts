/** A scripted login: open the site's origin + `path`, fill the two named inputs, submit the form. */
export interface SiteLogin {
  path: string;
  usernameField: string;
  passwordField: string;
  username: string;
  password: string;
}
