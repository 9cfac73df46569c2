// GOV.UK Frontend styles its JavaScript-enhanced components only when this class is present.
document.body.classList.add("govuk-frontend-supported");
